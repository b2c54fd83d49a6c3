package dev.flyform.dsl

import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * {@code app('web') { name = 'acme-web'; org = 'acme'; ip 'v6'; certificate 'www.acme.example' }}:
 * a Fly app, address {@code fly_app.web}, and shortcuts for its IPs, certificates and secrets.
 */
@CompileStatic
class AppBlock extends ResourceBlock {

    private final Map<String, CertificateBlock> certificates = [:]

    AppBlock(String label, SourceLocation location, Declarations declarations) {
        super('fly_app', label, location, declarations)
    }

    @Override
    List<String> attributeNames() {
        ['name', 'org', 'network', 'ip', 'certificate', 'secret']
    }

    @Override
    List<String> computedNames() {
        ['id']
    }

    @Override
    String referenceAttribute() {
        'name'
    }

    /** The app's global Fly name: lowercase letters, digits and dashes, at most 63. */
    void setName(Object value) { record('name', text('name', value)) }

    Object getName() { recorded('name') }

    /** Organization slug (default: FLY_ORG, else personal). */
    void setOrg(Object value) { record('org', text('org', value)) }

    Object getOrg() { recorded('org') }

    /** An isolated private network for the app's machines. */
    void setNetwork(Object value) { record('network', text('network', value)) }

    Object getNetwork() { recorded('network') }

    // Method-call spellings (`name 'acme-web'`), which never clash with a script variable of the same name.
    void name(Object value) { setName(value) }

    void org(Object value) { setOrg(value) }

    void network(Object value) { setNetwork(value) }

    /**
     * {@code ip 'v6'}: an address of this app, labelled {@code <app>_<type>}; options
     * {@code region}, {@code network}, {@code serviceName}, and {@code label} for a second one of a type.
     */
    IpBlock ip(Map options = [:], String type) {
        String label = options.label ? String.valueOf(options.label) : ipLabel(blockAddress.name(), type)
        IpBlock ip = new IpBlock(label, here(), declarations)
        ip.setApp(this)
        ip.setType(type)
        options.each { k, v ->
            switch (String.valueOf(k)) {
                case 'label': break
                case 'region': ip.setRegion(v); break
                case 'network': ip.setNetwork(v); break
                case 'serviceName': ip.setServiceName(v); break
                default: throw unknownOption('ip', String.valueOf(k), ['label', 'region', 'network', 'serviceName'])
            }
        }
        declarations.add(ip)
        return ip
    }

    /**
     * {@code certificate 'www.acme.example'}: a certificate for a hostname of this app, labelled
     * {@code <app>_<hostname with _ for . and ->}. Called again with the same hostname, it answers
     * the same certificate (for outputs: {@code web.certificate('www.acme.example').dnsValidationTarget}).
     */
    CertificateBlock certificate(String hostname) {
        CertificateBlock existing = certificates[hostname]
        if (existing != null) {
            return existing
        }
        String label = certificateLabel(blockAddress.name(), hostname)
        CertificateBlock cert = new CertificateBlock(label, here(), declarations)
        cert.setApp(this)
        cert.setHostname(hostname)
        declarations.add(cert)
        certificates[hostname] = cert
        return cert
    }

    /** {@code secret 'DATABASE_URL', env('DATABASE_URL')}: a secret of this app; option {@code staged: true}. */
    SecretBlock secret(Map options = [:], String name, Object value) {
        SecretBlock secret = new SecretBlock(secretLabel(blockAddress.name(), name), here(), declarations)
        secret.setApp(this)
        secret.setName(name)
        secret.setValue(value)
        options.each { k, v ->
            if (String.valueOf(k) == 'staged') {
                secret.setStaged(v)
            } else {
                throw unknownOption('secret', String.valueOf(k), ['staged'])
            }
        }
        declarations.add(secret)
        return secret
    }

    /** The label {@code ip 'TYPE'} gives, in app {@code app}: {@code <app>_<type>}. */
    static String ipLabel(String app, String type) {
        "${app}_${type}".toString()
    }

    /** The label {@code certificate 'HOST'} gives: {@code <app>_<hostname with _ for . and ->}, * as wildcard. */
    static String certificateLabel(String app, String hostname) {
        "${app}_${hostname.replace('*', 'wildcard').replaceAll(/[^A-Za-z0-9_]/, '_')}".toString()
    }

    /** The label {@code secret 'NAME', value} gives: {@code <app>_<NAME>}. */
    static String secretLabel(String app, String name) {
        "${app}_${name}".toString()
    }

    private DslException unknownOption(String shortcut, String option, List<String> known) {
        new DslException(Diagnostic.error("Unknown option `${option}` for ${shortcut}".toString(),
                "Options: ${known.join(', ')}.".toString()).at(here()).forResource(blockAddress))
    }
}
