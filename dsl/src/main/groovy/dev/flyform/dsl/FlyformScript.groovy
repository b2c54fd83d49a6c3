package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.DeclarationReader
import dev.flyform.engine.provider.ResourceSchema
import groovy.transform.CompileStatic

/**
 * The base class of every {@code .fly.groovy} script. Its methods only record declarations;
 * nothing here calls an API.
 */
@CompileStatic
abstract class FlyformScript extends Script {

    private Declarations declarations

    @groovy.transform.PackageScope
    void attach(Declarations declarations) {
        this.declarations = declarations
    }

    /**
     * A block of any provider's resource type, from its schema: {@code resource('fly_app', 'web') { name = 'acme-web' }},
     * written more often by the type's name ({@code fly_app('web') { }}) or, when no other provider
     * has a type of that name, without its prefix ({@code app('web') { }}).
     */
    SchemaBlock resource(String type, String label, @DelegatesTo(value = SchemaBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        ResourceSchema schema = declarations.typeNamed(type)
        if (schema == null) {
            Collection<String> known = declarations.schema.resourceTypes().keySet()
            throw new DslException(Diagnostic.error("Unknown resource type ${type}".toString(),
                    ("Resource types: ${known.join(', ') ?: 'none'}. "
                            + dev.flyform.engine.diag.Suggestions.didYouMean(type, known)).toString().trim()).at(where()))
        }
        declare(new SchemaBlock(schema, checked(label), where(), declarations), body)
    }

    /**
     * A module: the configuration in another directory, read with these inputs, its blocks at
     * addresses of their own ({@code module.web.fly_app.app}), its outputs read from the value
     * returned: {@code def web = module('web', source: '../modules/fly-web-app') { appName = 'acme-web' }},
     * then {@code web.url}. The source is relative to the file that names it.
     */
    ModuleInstance module(Map<String, Object> options, String name,
                          @DelegatesTo(value = ModuleInputs, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourceLocation at = where()
        checked(name)
        Set<String> unknown = new TreeSet<>(options.keySet())
        unknown.remove('source')
        if (!unknown.isEmpty() || !(options.source instanceof CharSequence)) {
            throw new DslException(Diagnostic.error("module ${name} needs a source, and takes nothing else".toString(),
                    "Write: module('${name}', source: '../modules/NAME') { input = value }".toString()).at(at))
        }
        if (declarations.modules.containsKey(name)) {
            throw new DslException(Diagnostic.error("Duplicate module ${name}".toString(),
                    "Each module of a configuration has a name of its own.").at(at))
        }
        if (declarations.directory == null) {
            throw new DslException(Diagnostic.error("module ${name}: modules are read from files on disk".toString(), '').at(at))
        }
        String path = ResourceAddress.modulePath(declarations.modulePath, name)
        if (path.count('module.') > 10) {
            throw new DslException(Diagnostic.error("Modules nest more than 10 deep at ${path}".toString(),
                    'Does a module use itself?').at(at))
        }
        ModuleInputs inputs = new ModuleInputs()
        if (body != null) {
            Closure<?> c = (Closure<?>) body.clone()
            c.resolveStrategy = Closure.DELEGATE_ONLY
            c.delegate = inputs
            c.call()
        }
        java.nio.file.Path dir = declarations.directory.resolve(options.source.toString()).toAbsolutePath().normalize()
        Declarations module = declarations.module(path, inputs.values, dir)
        declarations.moduleLoader.load(dir, module)
        Set<String> undeclared = new TreeSet<>(inputs.values.keySet())
        undeclared.removeAll(module.declaredVariables.keySet())
        if (!undeclared.isEmpty() && !declarations.diagnostics.hasErrors()) {
            throw new DslException(Diagnostic.error("Module ${name} takes no input ${undeclared.join(', ')}".toString(),
                    ("Its inputs (variable(...) in ${options.source}): "
                            + (module.declaredVariables.keySet().join(', ') ?: 'none') + '. '
                            + dev.flyform.engine.diag.Suggestions.didYouMean(undeclared.first(), module.declaredVariables.keySet())).trim())
                    .at(at))
        }
        ModuleInstance instance = new ModuleInstance(name, path, module.outputs)
        declarations.modules[name] = instance
        return instance
    }

    /** {@code module('web', source: '...')} with no inputs. */
    ModuleInstance module(Map<String, Object> options, String name) {
        module(options, name, null)
    }

    /**
     * A data source, {@code data.TYPE.LABEL}: a read-only lookup of an object flyform does not
     * manage, read while planning: {@code def legacy = data('fly_app', 'legacy') { name = 'legacy-app' }},
     * then {@code legacy.id} or, from any file, {@code data.fly_app.legacy.id}.
     */
    SchemaBlock data(String type, String label, @DelegatesTo(value = SchemaBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        ResourceSchema source = declarations.schema.dataSources()[type]
        if (source == null) {
            throw new DslException(Diagnostic.error("Unknown data source ${type}".toString(),
                    ("Data sources: ${declarations.schema.dataSources().keySet().join(', ') ?: 'none'}. "
                            + dev.flyform.engine.diag.Suggestions.didYouMean(type, declarations.schema.dataSources().keySet())).toString().trim())
                    .at(where()))
        }
        declare(new SchemaBlock(source, 'data.' + type, checked(label), where(), declarations), body)
    }

    /** {@code data('fly_regions', 'all')} with nothing to give. */
    SchemaBlock data(String type, String label) {
        data(type, label) { }
    }

    /**
     * {@code app('web') { ... }}, {@code fly_app('web') { ... }}: a block of the type of that name
     * (see {@link #resource}).
     */
    def methodMissing(String name, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        DeclarationReader reader = declarations.schema.readers()[name]
        if (reader != null) {
            return readDeclarations(reader, given)
        }
        ResourceSchema type = declarations.typeNamed(name)
        if (type == null || given.length != 2 || !(given[0] instanceof CharSequence) || !(given[1] instanceof Closure)) {
            throw new MissingMethodException(name, getClass(), given)
        }
        resource(type.type(), given[0].toString(), (Closure<?>) given[1])
    }

    /**
     * A provider's reader of another tool's file, {@code flyToml('fly.toml', image: '...') { ... }}:
     * the blocks it reads are declared here, at this line, the path taken from this file's
     * directory; the closure extends them (see {@link DeclaredBlocks}). Returns the first block.
     */
    private SchemaBlock readDeclarations(DeclarationReader reader, Object[] given) {
        SourceLocation at = where()
        List<Object> args = given.toList()
        Closure<?> body = args && args.last() instanceof Closure ? (Closure<?>) args.remove(args.size() - 1) : null
        Map options = args && args[0] instanceof Map ? (Map) args.remove(0) : [:]
        String form = "${reader.function()}('FILE', option: value) { ... }"
        if (args.size() != 1 || !(args[0] instanceof CharSequence)) {
            throw new DslException(Diagnostic.error("${reader.function()} takes the path of a file".toString(),
                    "Write ${form}.".toString()).at(at))
        }
        java.nio.file.Path base = declarations.directory ?: java.nio.file.Path.of('.')
        java.nio.file.Path file = base.resolve(args[0].toString()).normalize()
        List<DeclarationReader.Declared> read
        try {
            Map<String, Object> given_ = [:]
            options.each { k, v -> given_[String.valueOf(k)] = v instanceof CharSequence ? v.toString() : v }
            read = reader.read(file, given_)
        } catch (IllegalArgumentException e) {
            throw new DslException(Diagnostic.error("${reader.function()}: ${e.message}".toString(),
                    "Read at ${at}; the path is taken from the directory of the file that says it.".toString()).at(at))
        }
        Map<ResourceAddress, SchemaBlock> made = [:]
        Map<String, List<SchemaBlock>> groups = [:]
        SchemaBlock primary = null
        for (DeclarationReader.Declared d : read) {
            ResourceSchema type = declarations.schema.resourceTypes()[d.type()]
            SchemaBlock block = new SchemaBlock(type, checked(d.label()), at, declarations)
            declarations.add(block)
            made[new ResourceAddress(d.type(), d.label())] = block
            if (d.group() == null && primary == null) {
                primary = block
            } else {
                groups.computeIfAbsent(d.group() ?: 'blocks') { [] } << block
            }
        }
        read.each { DeclarationReader.Declared d ->
            SchemaBlock block = made[new ResourceAddress(d.type(), d.label())]
            d.attributes().each { String k, Object v -> block.record(k, relinked(v, made)) }
        }
        if (body != null) {
            Closure<?> c = (Closure<?>) body.clone()
            c.resolveStrategy = Closure.DELEGATE_ONLY
            c.delegate = new DeclaredBlocks(primary, groups)
            c.call()
        }
        made.values().each { it.closed = true }
        return primary
    }

    /** A reader's references, to the blocks as declared here (in a module: at the module's addresses). */
    private static Object relinked(Object value, Map<ResourceAddress, SchemaBlock> made) {
        if (value instanceof dev.flyform.engine.config.Reference) {
            dev.flyform.engine.config.Reference r = (dev.flyform.engine.config.Reference) value
            SchemaBlock target = made[r.address()]
            return target == null ? r : new dev.flyform.engine.config.Reference(target.blockAddress, r.attribute())
        }
        if (value instanceof List) {
            return ((List) value).collect { relinked(it, made) }
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>()
            ((Map) value).each { k, v -> out[String.valueOf(k)] = relinked(v, made) }
            return out
        }
        return value
    }

    private <T extends ResourceBlock> T declare(T block, @DelegatesTo(strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declarations.add(block)
        Closure<?> c = (Closure<?>) body.clone()
        c.resolveStrategy = Closure.DELEGATE_ONLY
        c.delegate = block
        c.call()
        block.closed = true
        return block
    }

    /**
     * {@code removed 'fly_machine.web_1'}: stop managing an object without deleting it (its block
     * deleted): the next apply forgets it, and what its deletion would take along, from the state;
     * it stays on Fly as it is. The line can go once it has been applied.
     */
    void removed(String address) {
        SourceLocation at = where()
        ResourceAddress parsed
        try {
            parsed = ResourceAddress.parse(address)
        } catch (IllegalArgumentException ignored) {
            throw new DslException(Diagnostic.error("removed '${address}': not an address".toString(),
                    "Write removed 'TYPE.NAME', e.g. removed 'fly_machine.web_1'.").at(at))
        }
        if (parsed.isData() || declarations.schema.resourceTypes()[parsed.type()] == null) {
            throw new DslException(Diagnostic.error("removed '${address}': no resource type ${parsed.type()}".toString(),
                    dev.flyform.engine.diag.Suggestions.didYouMean(parsed.type(), declarations.schema.resourceTypes().keySet())).at(at))
        }
        declarations.removed[declarations.modulePath ? parsed.inModule(declarations.modulePath) : parsed] = at
    }

    /** {@code output 'name', value}: shown after apply; {@code sensitive: true} hides it. */
    void output(Map<String, Object> options = [:], String name, Object value) {
        Object converted = value instanceof ResourceBlock
                ? new dev.flyform.engine.config.Reference(((ResourceBlock) value).blockAddress, ((ResourceBlock) value).referenceAttribute())
                : value instanceof BlockReference ? ((BlockReference) value).whole()
                : value instanceof CharSequence ? value.toString() : value
        declarations.addOutput(new OutputDeclaration(name, converted, options.sensitive == true, where()))
    }

    /** {@code env('NAME')}: a variable of the process environment; an error when it is not set. */
    String env(String name) {
        declarations.env(name, where())
    }

    /**
     * An input: {@code -var NAME=VALUE} on the command line, else {@code defaultValue}.
     * A default that is a number or boolean makes the given value one too.
     */
    Object variable(String name, Object defaultValue = null) {
        declarations.variable(name, defaultValue, where())
    }

    private SourceLocation where() {
        declarations.files.here()
    }


    private String checked(String label) {
        if (!ResourceAddress.isValidName(label)) {
            throw new DslException(Diagnostic.error("Invalid resource label \"${label}\"".toString(),
                    "Labels use letters, digits, '_' and '-', and start with a letter or '_'.").at(where()))
        }
        return label
    }
}
