package dev.flyform.dsl

import dev.flyform.engine.config.Configuration
import dev.flyform.engine.config.Output
import dev.flyform.engine.config.ResourceConfig
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.Diagnostics
import dev.flyform.engine.diag.DiagnosticsException
import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.runtime.InvokerHelper
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.syntax.SyntaxException

import java.nio.file.Files
import java.nio.file.Path
import java.util.stream.Collectors

/**
 * Loads every {@code *.fly.groovy} file of a directory, in name order, into one
 * {@link Configuration}. Owns the one compiler configuration scripts are compiled with.
 * {@code .fly.groovy} files are trusted code, like a build file: this is no sandbox.
 */
@CompileStatic
class ConfigLoader {

    static final String SUFFIX = '.fly.groovy'

    private final CompiledScripts compiled

    ConfigLoader() {
        this(CompiledScripts.NONE)
    }

    /** @param compiled where compiled scripts are kept between runs */
    ConfigLoader(CompiledScripts compiled) {
        this.compiled = compiled
    }

    /**
     * @param dir       the working directory
     * @param variables the {@code -var} values
     * @throws DiagnosticsException with every problem found, each naming its file and line
     */
    Configuration load(Path dir, Map<String, String> variables) {
        load(dir, variables, dir, System.getenv())
    }

    /**
     * @param displayBase file names in messages are relative to it (where the user stands,
     *                    which differs from {@code dir} under -chdir)
     */
    Configuration load(Path dir, Map<String, String> variables, Path displayBase, Map<String, String> environment) {
        List<Path> files = scriptsIn(dir)
        if (files.isEmpty()) {
            throw new DiagnosticsException(Diagnostic.error("No configuration files in ${dir}".toString(),
                    "flyform reads every *${SUFFIX} file in the working directory (see -chdir).".toString()))
        }
        Map<String, String> sources = new LinkedHashMap<>()
        Diagnostics unreadable = new Diagnostics()
        for (Path file : files) {
            String name = displayName(displayBase, file)
            String text = read(file, name, unreadable)
            if (text != null) {
                sources[name] = text
            }
        }
        // A file that cannot be read is never "not there": what it declares would be destroyed.
        unreadable.throwIfErrors()
        return loadSources(sources, variables, environment)
    }

    /** Loads scripts given as display name → text, in the order given. */
    Configuration loadSources(Map<String, String> sources, Map<String, String> variables,
                              Map<String, String> environment = [:]) {
        ScriptFiles scriptFiles = new ScriptFiles()
        Declarations declarations = new Declarations(scriptFiles, variables, environment)
        CompilerConfiguration compiler = new CompilerConfiguration()
        compiler.scriptBaseClass = FlyformScript.name
        compiler.sourceEncoding = 'UTF-8'

        List<String> classNames = []
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String className = scriptFiles.register(source.key)
            classNames << className
            FlyformScript script
            try {
                script = (FlyformScript) InvokerHelper.createScript(
                        compiled.load(className, source.value, compiler, ConfigLoader.classLoader), new Binding())
            } catch (MultipleCompilationErrorsException e) {
                declarations.diagnostics.addAll(compileErrors(source.key, e))
                continue
            }
            script.attach(declarations)
            try {
                script.run()
            } catch (DslException e) {
                declarations.diagnostics.add(e.diagnostic)
            } catch (DiagnosticsException e) {
                declarations.diagnostics.addAll(e.diagnostics())
            } catch (Exception e) {
                declarations.diagnostics.add(scriptFailure(e, scriptFiles, source.key))
            }
        }
        compiled.retainOnly(classNames)
        for (String given : new TreeSet<String>(variables.keySet())) {
            if (!declarations.declaredVariables.containsKey(given) && !declarations.diagnostics.hasErrors()) {
                declarations.diagnostics.add(Diagnostic.error("Value for undeclared variable \"${given}\"".toString(),
                        "A -var was given for \"${given}\", but no file declares variable('${given}', ...).".toString()))
            }
        }
        declarations.diagnostics.throwIfErrors()
        declarations.linkMachinesToSecrets()
        List<ResourceConfig> configs = declarations.blocks.values().collect { it.toConfig() }
        List<Output> outputs = declarations.outputs.values().collect {
            new Output(it.name(), it.value(), it.sensitive(), it.location())
        }
        return Configuration.of(configs, outputs)
    }

    /** Every {@code *.fly.groovy} entry of {@code dir}, readable or not, in name order. */
    static List<Path> scriptsIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DiagnosticsException(Diagnostic.error("No such directory: ${dir}".toString(), ''))
        }
        Files.list(dir).withCloseable { stream ->
            stream.filter { Path p -> p.fileName.toString().endsWith(SUFFIX) }
                    .sorted()
                    .collect(Collectors.toList())
        }
    }

    /** The file's text; null, with an error naming it, when it is no readable UTF-8 file. */
    private static String read(Path file, String name, Diagnostics problems) {
        String why = null
        if (Files.isSymbolicLink(file) && !Files.exists(file)) {
            why = "It is a symbolic link to ${Files.readSymbolicLink(file)}, which does not exist."
        } else if (Files.isDirectory(file)) {
            why = 'It is a directory, not a file.'
        } else if (!Files.isRegularFile(file)) {
            why = 'It is not a regular file.'
        } else if (!Files.isReadable(file)) {
            why = 'It cannot be read (permission denied).'
        }
        if (why == null) {
            try {
                return Files.readString(file)
            } catch (java.nio.charset.CharacterCodingException ignored) {
                why = 'It is not UTF-8 text.'
            } catch (IOException e) {
                why = "Reading it failed: ${e.message}"
            }
        }
        problems.add(Diagnostic.error("Cannot read configuration file ${name}".toString(),
                "${why} flyform reads every *${SUFFIX} file of the directory; fix or remove this one.".toString()))
        return null
    }

    private static String displayName(Path base, Path file) {
        Path absolute = file.toAbsolutePath().normalize()
        Path from = base.toAbsolutePath().normalize()
        absolute.startsWith(from) ? from.relativize(absolute).toString() : absolute.toString()
    }

    private static List<Diagnostic> compileErrors(String file, MultipleCompilationErrorsException e) {
        List<Diagnostic> found = []
        for (Object message : e.errorCollector.errors) {
            if (message instanceof SyntaxErrorMessage) {
                SyntaxException cause = ((SyntaxErrorMessage) message).cause
                String text = cause.originalMessage ?: cause.message
                found << Diagnostic.error("Syntax error: ${text}".toString(), '')
                        .at(new SourceLocation(file, cause.line))
            } else if (message instanceof ExceptionMessage) {
                found << Diagnostic.error("Cannot compile: ${((ExceptionMessage) message).cause.message}".toString(), '')
                        .at(new SourceLocation(file, 0))
            } else {
                found << Diagnostic.error("Cannot compile ${file}".toString(), String.valueOf(message))
                        .at(new SourceLocation(file, 0))
            }
        }
        return found
    }

    /** Any other exception a script throws is the user's code failing: show where, not a stack trace. */
    private static Diagnostic scriptFailure(Exception e, ScriptFiles files, String file) {
        SourceLocation where = files.locate(e.stackTrace) ?: new SourceLocation(file, 0)
        String message = e.message ?: e.class.simpleName
        if (e instanceof MissingPropertyException) {
            MissingPropertyException m = (MissingPropertyException) e
            message = "Unknown name `${m.property}`".toString()
        } else if (e instanceof MissingMethodException) {
            MissingMethodException m = (MissingMethodException) e
            message = "Unknown function `${m.method}` (or wrong arguments to it)".toString()
        }
        return Diagnostic.error(message, "The script failed while it ran (${e.class.simpleName}).".toString()).at(where)
    }
}
