package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code certificate('www') { app = web; hostname = 'www.acme.example' }}: {@code fly_certificate.LABEL}.
 * Read from outside, {@code dnsValidationTarget}, {@code dnsCname}, {@code status} and the other
 * DNS requirements are known after apply.
 */
@CompileStatic
class CertificateBlock extends ResourceBlock {

    CertificateBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_certificate', label, location, declarations)
    }

    @Override
    List<String> attributeNames() { ['app', 'hostname'] }

    @Override
    List<String> computedNames() {
        ['status', 'dnsA', 'dnsAaaa', 'dnsCname', 'dnsValidationHostname', 'dnsValidationTarget',
         'ownershipTxtName', 'ownershipTxtValue']
    }

    @Override
    String referenceAttribute() { 'hostname' }

    void setApp(Object value) { record('app', appRef(value)) }

    void setHostname(Object value) { record('hostname', text('hostname', value)) }

    Object getHostname() { recorded('hostname') }

    // Call forms (`region regionCode`), which a script variable of the same name cannot shadow.
    void app(Object value) { setApp(value) }

    void hostname(Object value) { setHostname(value) }
}
