package dev.flyform.dsl

import dev.flyform.engine.config.Configuration
import dev.flyform.engine.config.Output
import dev.flyform.engine.config.ResourceConfig
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.Suggestions
import dev.flyform.engine.diag.Diagnostics
import dev.flyform.engine.diag.DiagnosticsException
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.ProviderSchema
import dev.flyform.engine.provider.ResourceSchema
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

    /**
     * @param compiled where compiled scripts are kept between runs
     * @param schema   every resource type of every provider: the DSL knows no other blocks
     */
    ConfigLoader(CompiledScripts compiled, ProviderSchema schema) {
        this.compiled = compiled
        this.schema = schema
    }

    private final ProviderSchema schema
    private String workspace = 'default'

    /** Scripts read {@code workspace} as this name. */
    ConfigLoader inWorkspace(String name) {
        this.workspace = name
        return this
    }

    private Set<String> undeclaredAllowed = [] as Set

    /** Values that may be for variables no file declares (given by the environment, or a file for several configurations). */
    ConfigLoader allowingUndeclared(Set<String> names) {
        this.undeclaredAllowed = new TreeSet<>(names)
        return this
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
        return loadSources(sources, variables, environment, dir, displayBase)
    }

    /** Loads scripts given as display name → text, in the order given. */
    Configuration loadSources(Map<String, String> sources, Map<String, String> variables,
                              Map<String, String> environment = [:], Path directory = null, Path displayBase = null) {
        ScriptFiles scriptFiles = new ScriptFiles()
        Declarations declarations = new Declarations(scriptFiles, variables, environment, schema)
        declarations.directory = directory
        declarations.workspace = workspace
        CompilerConfiguration compiler = new CompilerConfiguration()
        compiler.scriptBaseClass = FlyformScript.name
        compiler.sourceEncoding = 'UTF-8'
        List<String> classNames = []
        Map<String, String> allSources = new LinkedHashMap<>(sources)
        declarations.moduleLoader = new Declarations.ModuleLoader() {
            @Override
            void load(Path moduleDir, Declarations module) {
                Map<String, String> moduleSources = new LinkedHashMap<>()
                Diagnostics unreadable = new Diagnostics()
                List<Path> files = Files.isDirectory(moduleDir) ? scriptsIn(moduleDir) : []
                if (files.isEmpty()) {
                    throw new DslException(Diagnostic.error("Module ${module.modulePath} has no configuration in ${moduleDir}".toString(),
                            "Its source must be a directory with *${SUFFIX} files, relative to the file that uses it.".toString())
                            .at(declarations.files.here()))
                }
                for (Path file : files) {
                    String name = displayName(displayBase ?: directory ?: moduleDir, file)
                    String text = read(file, name, unreadable)
                    if (text != null) {
                        moduleSources[name] = text
                    }
                }
                unreadable.throwIfErrors()
                allSources.putAll(moduleSources)
                runScripts(moduleSources, module, compiler, classNames, allSources)
            }
        }
        runScripts(sources, declarations, compiler, classNames, allSources)
        compiled.retainOnly(classNames)
        for (String given : new TreeSet<String>(variables.keySet())) {
            if (!declarations.declaredVariables.containsKey(given) && !undeclaredAllowed.contains(given)
                    && !declarations.diagnostics.hasErrors()) {
                declarations.diagnostics.add(Diagnostic.error("Value for undeclared variable \"${given}\"".toString(),
                        "A -var was given for \"${given}\", but no file declares variable('${given}', ...).".toString()))
            }
        }
        declarations.diagnostics.throwIfErrors()
        List<ResourceConfig> configs = declarations.blocks.values().collect { it.toConfig() }
        List<Output> outputs = declarations.outputs.values().collect {
            new Output(it.name(), it.value(), it.sensitive(), it.location())
        }
        return Configuration.of(configs, outputs).removing(declarations.removed)
    }

    /** Compiles and runs each script against {@code declarations}, collecting what fails. */
    private void runScripts(Map<String, String> sources, Declarations declarations, CompilerConfiguration compiler,
                            List<String> classNames, Map<String, String> allSources) {
        for (Map.Entry<String, String> source : sources.entrySet()) {
            String className = declarations.files.register(source.key)
            classNames << className
            FlyformScript script
            try {
                script = (FlyformScript) InvokerHelper.createScript(
                        compiled.load(className, source.value, compiler, ConfigLoader.classLoader),
                        directoryNamespace(schema, declarations.modulePath, declarations.workspace))
            } catch (MultipleCompilationErrorsException e) {
                declarations.diagnostics.addAll(compileErrors(source.key, e))
                continue
            }
            script.attach(declarations)
            script.binding.setVariable('module', new ModuleNamespace(declarations))
            try {
                script.run()
            } catch (DslException e) {
                declarations.diagnostics.add(e.diagnostic)
            } catch (DiagnosticsException e) {
                declarations.diagnostics.addAll(e.diagnostics())
            } catch (Exception e) {
                declarations.diagnostics.add(scriptFailure(e, declarations.files, source.key, allSources))
            }
        }
    }

    /**
     * One namespace for the directory: {@code fly_app.web} names a block of any of its files,
     * whichever is read first.
     */
    private static Binding directoryNamespace(ProviderSchema schema, String modulePath, String workspace) {
        Binding binding = new Binding()
        binding.setVariable('workspace', workspace)
        schema.resourceTypes().each { String type, ResourceSchema s -> binding.setVariable(type, new BlockNamespace(type, s.referencedBy(), modulePath)) }
        binding.setVariable('data', new DataNamespace(schema, modulePath))
        return binding
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
                String text = printable(cause.originalMessage ?: cause.message)
                found << Diagnostic.error("Syntax error: ${text}".toString(),
                        text.contains('\\u0000') ? 'The file holds a NUL byte: it is not text, or was saved in an encoding other than UTF-8.' : '')
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

    /** Control characters shown as {@code \\uXXXX}: a message never carries a raw NUL or escape to the terminal. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder()
        for (char c : (text ?: '').toCharArray()) {
            if (c < (char) 0x20 && c != (char) '\n' && c != (char) '\t' || c == (char) 0x7f) {
                out.append(String.format('\\u%04x', (int) c))
            } else {
                out.append(c)
            }
        }
        out.toString()
    }

    /** What a script can call at its top level, and how each is written. */
    /** How each top-level function of the DSL is called, for "Wrong arguments to" and "did you mean". */
    private static final Map<String, String> BUILT_IN = [
            resource: "resource('fly_app', 'web') { name = 'acme-web' }",
            data    : "data('fly_app', 'legacy') { name = 'legacy-app' }",
            module  : "module('web', source: '../modules/NAME') { input = value }",
            output  : "output 'name', value  (or output 'name', value, sensitive: true)",
            variable: "variable('region', 'iad')  (a name, and a default)",
            env     : "env('NAME')"]

    /** The built-in functions, and a block of each resource type, by its name and its short name. */
    private Map<String, String> usage() {
        Map<String, String> usage = new TreeMap<>()
        schema.resourceTypes().values().each { ResourceSchema type ->
            String settings = type.attributes().values().findAll { it.required() }
                    .collect { "${Fields.camel(it.name())} = ...".toString() }.join('; ')
            usage[type.type()] = "${type.type()}('LABEL') { ${settings} }".toString()
            if (schema.resourceTypes().values().count { it.shortName() == type.shortName() } == 1) {
                usage[type.shortName()] = "${type.shortName()}('LABEL') { ${settings} }".toString()
            }
        }
        usage.putAll(BUILT_IN)
        return usage
    }

    /**
     * Any other exception a script throws is the user's code failing: say what is wrong in the
     * user's words, where, and what to write instead; never a stack trace or an exception's name.
     */
    private Diagnostic scriptFailure(Exception e, ScriptFiles files, String file, Map<String, String> sources) {
        Map<String, String> USAGE = usage()
        List<String> TOP_LEVEL = USAGE.keySet().toList()
        SourceLocation where = files.locate(e.stackTrace) ?: new SourceLocation(file, 0)
        String line = lineOf(sources[where.file()], where.line())
        String message = printable(e.message ?: 'The script failed')
        String detail = 'The script failed while it ran.'
        if (e instanceof groovy.lang.ReadOnlyPropertyException) {
            groovy.lang.ReadOnlyPropertyException r = (groovy.lang.ReadOnlyPropertyException) e
            message = "`${r.property}` cannot be assigned with =".toString()
            detail = "It is declared with a call inside its block instead: `${singular(r.property)}(...) { ... }`, once for each.".toString()
        } else if (e instanceof MissingPropertyException) {
            MissingPropertyException m = (MissingPropertyException) e
            message = "Unknown name `${m.property}`".toString()
            def interpolated = line =~ /\$(\w+)\.${java.util.regex.Pattern.quote(m.property)}\b/
            detail = interpolated.find()
                    ? "In a double-quoted string, `\$${interpolated.group(1)}.${m.property}` reads the property `${m.property}` of `${interpolated.group(1)}`: to put `${interpolated.group(1)}` in the text, write `\${${interpolated.group(1)}}.${m.property}`.".toString()
                    : "It is not a variable, a block or a setting in scope here. ${Suggestions.didYouMean(m.property, TOP_LEVEL)}".toString().trim()
        } else if (e instanceof MissingMethodException) {
            MissingMethodException m = (MissingMethodException) e
            boolean known = m.method in TOP_LEVEL
            message = known ? "Wrong arguments to `${m.method}`".toString() : "Unknown function `${m.method}`".toString()
            detail = known ? "Write it as: ${USAGE[m.method]}".toString()
                    : "flyform knows ${TOP_LEVEL.collect { '`' + it + '`' }.join(', ')}, and the functions a file defines itself. ${Suggestions.didYouMean(m.method, TOP_LEVEL)}".toString().trim()
        } else if (e instanceof org.codehaus.groovy.runtime.typehandling.GroovyCastException) {
            def cast = e.message =~ /Cannot cast object '(.*)' with class '([\w.$]+)' to class '([\w.$]+)'/
            if (cast.find()) {
                String value = cast.group(1)
                String wanted = kind(cast.group(3))
                message = cast.group(2) == dev.flyform.engine.config.Reference.name
                        ? "`${value}` is another block's value (known after apply), but ${wanted} is needed here".toString()
                        : "Wrong type: `${value}` is ${kind(cast.group(2))}, but ${wanted} is needed here".toString()
                detail = 'Write the value out, e.g. in quotes for text.'
            }
        } else if (e instanceof GroovyRuntimeException && (e.message ?: '').startsWith('Could not find which method ')) {
            String method = (e.message =~ /Could not find which method (\w+)/).with { it.find() ? it.group(1) : '?' }
            message = "Wrong arguments to `${method}`".toString()
            detail = USAGE.containsKey(method) ? "Write it as: ${USAGE[method]}".toString() : 'Check the arguments it takes.'
        } else if (e instanceof ArithmeticException) {
            message = "Arithmetic error: ${message}".toString()
        } else if (message =~ /\b(dev\.flyform|java|javax|groovy|org\.codehaus)\.[\w$]+\./) {
            message = 'This line failed when it ran'   // the message speaks of flyform's or Groovy's insides
            detail = 'Check the values and names it uses against README.'
        }
        return Diagnostic.error(message, detail).at(where)
    }

    private static String lineOf(String text, int line) {
        if (text == null || line < 1) {
            return ''
        }
        List<String> lines = text.readLines()
        line <= lines.size() ? lines[line - 1] : ''
    }

    private static String singular(String plural) {
        plural.endsWith('s') ? plural[0..-2] : plural
    }

    /** A Java class as a user says it. */
    private static String kind(String className) {
        switch (className) {
            case ['java.lang.String', 'java.lang.CharSequence', 'groovy.lang.GString']: return 'text'
            case ['java.lang.Integer', 'java.lang.Long', 'java.lang.Number', 'java.math.BigDecimal', 'java.math.BigInteger',
                  'int', 'long', 'java.lang.Double']: return 'a number'
            case ['java.lang.Boolean', 'boolean']: return 'true or false'
            case ['java.util.List', 'java.util.ArrayList']: return 'a list'
            case ['java.util.Map', 'java.util.LinkedHashMap']: return 'a map'
            default:
                String simple = className.substring(className.lastIndexOf('.') + 1)
                return simple.endsWith('Block') ? "a ${simple[0..-6].toLowerCase()} block".toString() : "a ${simple}".toString()
        }
    }
}
