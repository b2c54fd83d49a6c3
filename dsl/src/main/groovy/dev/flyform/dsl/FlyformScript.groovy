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
     * A Fly app, blockAddress {@code fly_app.LABEL}, with shortcuts for its IPs, certificates and secrets.
     * <pre>
     * app('web') {
     *     name = 'acme-web'
     *     ip 'v6'
     *     certificate 'www.acme.example'
     *     secret 'DATABASE_URL', env('DATABASE_URL')
     * }
     * </pre>
     */
    AppBlock app(String label, @DelegatesTo(value = AppBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new AppBlock(checked(label), where(), declarations), body)
    }

    /** An IP address of an app, {@code fly_ip.LABEL}: {@code ip('v6') { app = web; type = 'v6' }}. */
    IpBlock ip(String label, @DelegatesTo(value = IpBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new IpBlock(checked(label), where(), declarations), body)
    }

    /** A certificate, {@code fly_certificate.LABEL}: {@code certificate('www') { app = web; hostname = '...' }}. */
    CertificateBlock certificate(String label,
                                 @DelegatesTo(value = CertificateBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new CertificateBlock(checked(label), where(), declarations), body)
    }

    /** A secret, {@code fly_secret.LABEL}: {@code secret('db') { app = web; name = 'DATABASE_URL'; value = env('DATABASE_URL') }}. */
    SecretBlock secret(String label, @DelegatesTo(value = SecretBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new SecretBlock(checked(label), where(), declarations), body)
    }

    /** A volume, {@code fly_volume.LABEL}: {@code volume('data') { app = web; name = 'data'; region = 'iad'; sizeGb = 1 }}. */
    VolumeBlock volume(String label, @DelegatesTo(value = VolumeBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new VolumeBlock(checked(label), where(), declarations), body)
    }

    /** A machine, {@code fly_machine.LABEL}: {@code machine('web_1') { app = web; region = 'iad'; image = '...' }}. */
    MachineBlock machine(String label, @DelegatesTo(value = MachineBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        declare(new MachineBlock(checked(label), where(), declarations), body)
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
     * A block of any other provider's type, made from its schema: {@code toy_note('x') { text = 'hi' }},
     * or {@code note('x') { }} when no other provider has a type of that name.
     */
    def methodMissing(String name, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        ResourceSchema type = declarations.typeNamed(name)
        if (type == null || given.length != 2 || !(given[0] instanceof String) || !(given[1] instanceof Closure)) {
            throw new MissingMethodException(name, getClass(), given)
        }
        declare(new SchemaBlock(type, checked((String) given[0]), where(), declarations), (Closure<?>) given[1])
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
