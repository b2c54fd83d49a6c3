package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import groovy.transform.CompileStatic

/** Inside {@code service(...) { }}: {@code port 443, handlers: ['tls', 'http'], forceHttps: true}. */
@CompileStatic
class ServiceBlock {

    private final MachineBlock machine
    final List<Object> ports = []

    ServiceBlock(MachineBlock machine) {
        this.machine = machine
    }

    void port(Map<String, Object> options = [:], int number) {
        for (String key : options.keySet()) {
            if (!(key in ['handlers', 'forceHttps', 'startPort', 'endPort'])) {
                throw new DslException(Diagnostic.error("Unknown option `${key}` for port".toString(),
                        'Options: handlers, forceHttps, startPort, endPort.').at(machine.here()).forResource(machine.blockAddress))
            }
        }
        Map<String, Object> p = new LinkedHashMap<>()
        p.port = number
        options.each { k, v -> p[ResourceBlock.snake(String.valueOf(k))] = v }
        ports << p
    }

    def methodMissing(String name, Object args) {
        throw new DslException(Diagnostic.error("Unknown setting `${name}` in a service block".toString(),
                "A service block takes: port NUMBER, handlers: [...], forceHttps: true.").at(machine.here()).forResource(machine.blockAddress))
    }

    def propertyMissing(String name) {
        methodMissing(name, null)
    }
}
