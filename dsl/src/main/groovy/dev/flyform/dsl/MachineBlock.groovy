package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code machine('web_1') { app = web; region = 'iad'; image = '...'; env PORT: '8080'; ... }}:
 * {@code fly_machine.LABEL}. Fly replaces a machine's whole config on every update; flyform
 * sends all of what is declared here.
 */
@CompileStatic
class MachineBlock extends ResourceBlock {

    private final Map<String, Object> envVars = new LinkedHashMap<>()
    private final List<Object> services = []
    private final Map<String, Object> checks = new LinkedHashMap<>()
    private final List<Object> mounts = []
    private final Map<String, Object> metadataEntries = new LinkedHashMap<>()

    MachineBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_machine', label, location, declarations)
    }

    @Override
    List<String> attributeNames() {
        ['app', 'name', 'region', 'image', 'env', 'guest', 'service', 'check', 'mount', 'restart', 'metadata', 'autoDestroy',
         'ownerTag']
    }

    @Override
    List<String> computedNames() { ['id', 'privateIp'] }

    @Override
    String referenceAttribute() { 'id' }

    void setApp(Object value) { record('app', appRef(value)) }

    void setName(Object value) { record('name', text('name', value)) }

    void setRegion(Object value) { record('region', text('region', value)) }

    void setImage(Object value) { record('image', text('image', value)) }

    void setAutoDestroy(Object value) { record('auto_destroy', bool('autoDestroy', value)) }

    /** Tag the machine as flyform's in its metadata (default true); an imported machine starts with false. */
    void setOwnerTag(Object value) { record('owner_tag', bool('ownerTag', value)) }

    void name(Object value) { setName(value) }

    void region(Object value) { setRegion(value) }

    void image(Object value) { setImage(value) }

    /** {@code env PORT: '8080', LOG_LEVEL: 'info'}: environment variables (repeatable). */
    void env(Map<String, Object> vars) {
        vars.each { k, v -> envVars[String.valueOf(k)] = text("env.${k}".toString(), v) }
        record('env', envVars)
    }

    /** {@code guest cpuKind: 'shared', cpus: 1, memoryMb: 256}. */
    void guest(Map<String, Object> spec) {
        checkKeys('guest', spec, ['cpuKind', 'cpus', 'memoryMb', 'kernelArgs', 'gpuKind', 'gpus'])
        record('guest', snakeKeys(spec))
    }

    /**
     * {@code service(internalPort: 8080) { port 443, handlers: ['tls', 'http'] }}; options
     * {@code protocol} (default tcp), {@code autostop}, {@code autostart}, {@code minMachinesRunning}.
     */
    void service(Map<String, Object> options,
                 @DelegatesTo(value = ServiceBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> ports = null) {
        checkKeys('service', options, ['internalPort', 'protocol', 'autostop', 'autostart', 'minMachinesRunning', 'concurrency'])
        ServiceBlock service = new ServiceBlock(this)
        if (ports != null) {
            Closure<?> c = (Closure<?>) ports.clone()
            c.resolveStrategy = Closure.DELEGATE_ONLY
            c.delegate = service
            c.call()
        }
        Map<String, Object> s = new LinkedHashMap<>()
        s.protocol = options.protocol ?: 'tcp'
        options.each { k, v -> if (k != 'protocol') { s[snake(String.valueOf(k))] = snakeKeys(v) } }
        s.ports = service.ports
        services << s
        record('services', services)
    }

    /** {@code check 'alive', type: 'tcp', port: 8080, interval: '15s', timeout: '10s'}. */
    void check(Map<String, Object> options, String name) {
        checkKeys('check', options, ['type', 'port', 'interval', 'timeout', 'gracePeriod', 'method', 'path', 'protocol', 'headers'])
        checks[name] = snakeKeys(options)
        record('checks', checks)
    }

    /** {@code mount data, path: '/data'}: a volume block (or a volume id) mounted at a path. */
    void mount(Map<String, Object> options, Object volume) {
        checkKeys('mount', options, ['path'])
        boolean volumeReference = volume instanceof BlockReference && ((BlockReference) volume).blockAddress.type() == 'fly_volume'
        if (!(volume instanceof VolumeBlock) && !(volume instanceof CharSequence) && !volumeReference) {
            throw new DslException(Diagnostic.error('mount takes a volume block or a volume id',
                    "Got ${describe(volume)}: write mount data, path: '/data'.".toString()).at(here()).forResource(blockAddress))
        }
        if (!options.path) {
            throw new DslException(Diagnostic.error('mount needs a path', "Write mount data, path: '/data'.").at(here()).forResource(blockAddress))
        }
        mounts << [volume: volume, path: String.valueOf(options.path)]
        record('mounts', mounts)
    }

    /** {@code restart policy: 'on-failure', maxRetries: 3}. */
    void restart(Map<String, Object> policy) {
        checkKeys('restart', policy, ['policy', 'maxRetries'])
        record('restart', snakeKeys(policy))
    }

    /** {@code metadata team: 'web'} (repeatable); flyform adds its own tag. */
    void metadata(Map<String, Object> entries) {
        entries.each { k, v -> metadataEntries[String.valueOf(k)] = text("metadata.${k}".toString(), v) }
        record('metadata', metadataEntries)
    }

    private void checkKeys(String what, Map<String, Object> given, List<String> known) {
        for (String key : given.keySet()) {
            if (!(key in known)) {
                throw new DslException(Diagnostic.error("Unknown option `${key}` for ${what}".toString(),
                        "Options: ${known.join(', ')}.".toString()).at(here()).forResource(blockAddress))
            }
        }
    }

    // Call forms (`region regionCode`), which a script variable of the same name cannot shadow.
    void app(Object value) { setApp(value) }

    void autoDestroy(Object value) { setAutoDestroy(value) }

    void ownerTag(Object value) { setOwnerTag(value) }
}
