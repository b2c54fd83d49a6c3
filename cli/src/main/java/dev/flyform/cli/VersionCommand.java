package dev.flyform.cli;

import picocli.CommandLine.Command;

@Command(name = "version", mixinStandardHelpOptions = true, description = "Print flyform's version (as -version and --version do).")
final class VersionCommand extends FlyformCommand {

    @picocli.CommandLine.Option(names = {"-json", "--json"},
            description = "As JSON: {\"flyform_version\": ..., \"platform\": \"linux_amd64\", \"java_version\": ...}.")
    boolean json;

    @Override
    public Integer call() {
        if (json) {
            com.fasterxml.jackson.databind.node.ObjectNode out = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            out.put("flyform_version", Flyform.VERSION);
            String arch = System.getProperty("os.arch");
            out.put("platform", System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).replace(' ', '_') + "_"
                    + ("x86_64".equals(arch) ? "amd64" : "aarch64".equals(arch) ? "arm64" : arch));
            out.put("java_version", System.getProperty("java.version"));
            env().out().println(out);
            env().out().flush();
            return 0;
        }
        for (String line : root().spec.version()) {
            env().out().println(line);
        }
        env().out().flush();
        return 0;
    }
}
