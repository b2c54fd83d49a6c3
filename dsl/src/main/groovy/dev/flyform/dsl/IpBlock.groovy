package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/** {@code ip('web_v6') { app = web; type = 'v6' }}: an address of an app, {@code fly_ip.LABEL}. */
@CompileStatic
class IpBlock extends ResourceBlock {

    IpBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_ip', label, location, declarations)
    }

    @Override
    List<String> attributeNames() { ['app', 'type', 'region', 'network', 'serviceName'] }

    @Override
    List<String> computedNames() { ['address'] }

    @Override
    String referenceAttribute() { 'address' }

    void setApp(Object value) { record('app', appRef(value)) }

    /** v4 (dedicated, paid), shared_v4, v6 or private_v6. */
    void setType(Object value) { record('type', text('type', value)) }

    void setRegion(Object value) { record('region', text('region', value)) }

    void setNetwork(Object value) { record('network', text('network', value)) }

    void setServiceName(Object value) { record('service_name', text('serviceName', value)) }

    Object getType() { recorded('type') }

    // Call forms (`region regionCode`), which a script variable of the same name cannot shadow.
    void app(Object value) { setApp(value) }

    void type(Object value) { setType(value) }

    void region(Object value) { setRegion(value) }

    void network(Object value) { setNetwork(value) }

    void serviceName(Object value) { setServiceName(value) }
}
