package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.ResourceConfig
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.diag.Suggestions
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * What every resource block records: its address, the attributes set in it and where, and the
 * resources it refers to. Blocks only record; planning happens later, in the engine.
 */
@CompileStatic
abstract class ResourceBlock {

    final ResourceAddress address
    final SourceLocation location
    @PackageScope final ScriptFiles files
    private final Map<String, Object> attributes = new LinkedHashMap<>()
    private final Map<String, SourceLocation> attributeLocations = [:]
    private final Set<ResourceAddress> dependsOn = new TreeSet<>()

    protected ResourceBlock(String type, String label, SourceLocation location, ScriptFiles files) {
        this.address = new ResourceAddress(type, label)
        this.location = location
        this.files = files
    }

    /** The attribute names a user may set in this block, for "did you mean". */
    abstract List<String> attributeNames()

    // Not set(String, Object): Groovy would take that for a catch-all property setter and
    // accept every misspelt attribute.
    protected void record(String name, Object value) {
        attributes[name] = value
        attributeLocations[name] = files.here() ?: location
    }

    /**
     * A string attribute's value. Groovy would quietly turn {@code name = 123} or a list into
     * text; a user who wrote that meant something else, so say so.
     */
    protected String text(String name, Object value) {
        if (value == null || value instanceof CharSequence) {
            return value?.toString()
        }
        throw new DslException(Diagnostic.error("Attribute `${name}` of ${address.type()} must be a string".toString(),
                "Got ${value.getClass().simpleName} ${value}. Put text in quotes: ${name} = '...'.".toString())
                .at(files.here() ?: location).forResource(address).forAttribute(name))
    }

    protected Object recorded(String name) {
        attributes[name]
    }

    @PackageScope
    void dependOn(ResourceAddress other) {
        dependsOn << other
    }

    ResourceConfig toConfig() {
        new ResourceConfig(address, attributes, location, attributeLocations, dependsOn)
    }

    // A misspelt attribute must fail here, with the file, the line and a suggestion, rather than
    // silently resolve somewhere else.
    def propertyMissing(String name, Object value) {
        throw unknownAttribute(name)
    }

    def propertyMissing(String name) {
        String hint = Suggestions.didYouMean(name, attributeNames())
        throw new DslException(Diagnostic.error("Unknown name `${name}` in ${address.type()} block \"${address.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "It is neither an attribute of ${address.type()} nor a variable in scope.")
                .at(files.here() ?: location).forResource(address))
    }

    def methodMissing(String name, Object args) {
        String hint = Suggestions.didYouMean(name, attributeNames())
        throw new DslException(Diagnostic.error("Unknown setting `${name}` in ${address.type()} block \"${address.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "Attributes of ${address.type()}: ${attributeNames().join(', ')}.")
                .at(files.here() ?: location).forResource(address))
    }

    private DslException unknownAttribute(String name) {
        String hint = Suggestions.didYouMean(name, attributeNames())
        new DslException(Diagnostic.error("Unsupported attribute `${name}` in ${address.type()} block \"${address.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "Attributes of ${address.type()}: ${attributeNames().join(', ')}.")
                .at(files.here() ?: location).forResource(address).forAttribute(name))
    }

    @Override
    String toString() {
        address.toString()
    }
}
