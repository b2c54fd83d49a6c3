package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
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
        ResourceSchema type = declarations.typeNamed(name)
        if (type == null || given.length != 2 || !(given[0] instanceof CharSequence) || !(given[1] instanceof Closure)) {
            throw new MissingMethodException(name, getClass(), given)
        }
        resource(type.type(), given[0].toString(), (Closure<?>) given[1])
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
        SourceLocation where = where()
        declarations.declaredVariables.putIfAbsent(name, where)
        if (declarations.inputs != null) {
            // In a module: its inputs, given in the module block, not -var.
            if (declarations.inputs.containsKey(name)) {
                return declarations.inputs[name]
            }
            if (defaultValue == null) {
                throw new DslException(Diagnostic.error("Module ${declarations.modulePath} needs input `${name}`".toString(),
                        "Give it in the module's block: ${name} = ...".toString()).at(where))
            }
            return defaultValue
        }
        String given = declarations.givenVariables[name]
        if (given == null) {
            if (defaultValue == null) {
                throw new DslException(Diagnostic.error("No value for variable \"${name}\"".toString(),
                        "Pass one with -var ${name}=VALUE, or give the variable a default.".toString()).at(where))
            }
            return defaultValue
        }
        return convert(name, given, defaultValue, where)
    }

    private SourceLocation where() {
        declarations.files.here()
    }

    private static Object convert(String name, String given, Object defaultValue, SourceLocation where) {
        if (defaultValue instanceof Boolean) {
            if (given in ['true', 'false']) {
                return Boolean.valueOf(given)
            }
            throw new DslException(Diagnostic.error("Variable \"${name}\" must be true or false, got \"${given}\"".toString(), '').at(where))
        }
        if (defaultValue instanceof Number) {
            try {
                return given.contains('.') ? (Object) new BigDecimal(given) : (Object) Long.valueOf(given)
            } catch (NumberFormatException ignored) {
                throw new DslException(Diagnostic.error("Variable \"${name}\" must be a number, got \"${given}\"".toString(), '').at(where))
            }
        }
        return given
    }

    private String checked(String label) {
        if (!ResourceAddress.isValidName(label)) {
            throw new DslException(Diagnostic.error("Invalid resource label \"${label}\"".toString(),
                    "Labels use letters, digits, '_' and '-', and start with a letter or '_'.").at(where()))
        }
        return label
    }
}
