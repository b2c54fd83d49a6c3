package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.Lifecycle
import dev.flyform.engine.config.Reference
import dev.flyform.engine.config.ResourceConfig
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.diag.Suggestions
import groovy.transform.CompileStatic
import groovy.transform.PackageScope

/**
 * What every resource block records: its address, the attributes set in it and where, and the
 * resources it refers to. Blocks only record; planning happens later, in the engine.
 *
 * <p>Outside its block, a resource answers a computed attribute as a reference, so
 * {@code web.certificate('www.example.com').dnsValidationTarget} is known after apply.
 */
@CompileStatic
abstract class ResourceBlock {

    // Not "address": fly_ip has a computed attribute of that name, read as ip.address.
    final ResourceAddress blockAddress
    final SourceLocation location
    @PackageScope final Declarations declarations
    private final Map<String, Object> attributes = new LinkedHashMap<>()
    private final Map<String, SourceLocation> attributeLocations = [:]
    private final Set<ResourceAddress> dependsOn = new TreeSet<>()

    protected ResourceBlock(String type, String label, SourceLocation location, Declarations declarations) {
        this.blockAddress = new ResourceAddress(declarations.modulePath, type, label)
        this.location = location
        this.declarations = declarations
    }

    /** The attribute names a user may set in this block (DSL spelling), for "did you mean". */
    abstract List<String> attributeNames()

    /** Computed attributes (DSL spelling) that may be read from outside as references. */
    List<String> computedNames() {
        []
    }

    /** The attribute another resource refers to when it is given this block ({@code app = web}). */
    abstract String referenceAttribute()

    // Not set(String, Object): Groovy would take that for a catch-all property setter and
    // accept every misspelt attribute.
    protected void record(String name, Object value) {
        Object converted = referencesOf(value)
        attributes[name] = converted
        attributeLocations[name] = here()
    }

    SourceLocation here() {
        declarations.files.here() ?: location
    }

    /** Blocks given as values become references to them, and dependency edges. */
    private Object referencesOf(Object value) {
        if (value instanceof BlockReference) {
            dependsOn << ((BlockReference) value).blockAddress
            return ((BlockReference) value).whole()
        }
        if (value instanceof ResourceBlock) {
            ResourceBlock other = (ResourceBlock) value
            dependsOn << other.blockAddress
            return new Reference(other.blockAddress, other.referenceAttribute())
        }
        if (value instanceof Reference) {
            dependsOn << ((Reference) value).address()
            return value
        }
        if (value instanceof CharSequence) {
            return value.toString()
        }
        if (value instanceof List) {
            return ((List) value).collect { referencesOf(it) }
        }
        if (value instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>()
            ((Map) value).each { k, v -> out[String.valueOf(k)] = referencesOf(v) }
            return out
        }
        return value
    }

    /** A value as a user would name what they wrote: never a Java class name. */
    static String describe(Object value) {
        if (value == null) {
            return 'nothing (null)'
        }
        if (value instanceof CharSequence) {
            return "the text '${value}'".toString()
        }
        if (value instanceof Number) {
            return "the number ${value}".toString()
        }
        if (value instanceof Boolean) {
            return String.valueOf(value)
        }
        if (value instanceof ResourceBlock) {
            return "the block ${((ResourceBlock) value).blockAddress}".toString()
        }
        if (value instanceof BlockReference) {
            return "the block ${value}".toString()
        }
        if (value instanceof Reference) {
            return "the value ${value}".toString()
        }
        if (value instanceof List) {
            return "a list ${value}".toString()
        }
        if (value instanceof Map) {
            return "a map ${value}".toString()
        }
        if (value instanceof Closure) {
            return 'a block of settings { ... }'
        }
        return "a ${value.getClass().simpleName.replaceAll(/Block$/, ' block').toLowerCase()}".toString()
    }

    @PackageScope
    Object recordedValue(String name) {
        attributes[name]
    }

    @PackageScope
    void dependOn(ResourceAddress other) {
        dependsOn << other
    }

    /**
     * {@code dependsOn web, fly_volume.data}: made after these, and deleted before them, though
     * no attribute refers to them.
     */
    void dependsOn(Object... others) {
        for (Object other : others) {
            if (other instanceof ResourceBlock) {
                dependsOn << ((ResourceBlock) other).blockAddress
            } else if (other instanceof BlockReference) {
                dependsOn << ((BlockReference) other).blockAddress
            } else {
                throw new DslException(Diagnostic.error('dependsOn takes blocks'.toString(),
                        "Got ${describe(other)}: write dependsOn web, or dependsOn fly_app.web.".toString())
                        .at(here()).forResource(blockAddress))
            }
        }
    }

    private final Set<String> ignored = new TreeSet<>()
    private boolean ignoreAll
    private SourceLocation ignoreAt

    /** What {@code ignoreChanges all} passes: every attribute. */
    static final Object ALL = new Object() {
        @Override
        String toString() { 'all' }
    }

    /**
     * {@code ignoreChanges 'image', 'env'} (or {@code ignoreChanges all}): the API's value of these
     * is kept when it differs from the declaration (`fly deploy` changed the image, say); the
     * plan reports the drift and sends nothing for it.
     */
    void ignoreChanges(Object... names) {
        ignoreAt = here()
        for (Object name : names) {
            if (name.is(ALL)) {
                ignoreAll = true
                continue
            }
            if (!(name instanceof CharSequence) || !(ResourceBlock.snake(name.toString()) in settableAttributes())) {
                throw new DslException(Diagnostic.error("ignoreChanges names attributes of ${blockAddress.type()}".toString(),
                        ("Got ${describe(name)}. ${Suggestions.didYouMean(String.valueOf(name), attributeNames())} "
                                + "Write ignoreChanges 'image', or ignoreChanges all.").toString().trim())
                        .at(here()).forResource(blockAddress))
            }
            ignored << ResourceBlock.snake(name.toString())
        }
    }

    private SourceLocation protectedAt

    /**
     * {@code preventDestroy true}: a plan that would destroy or replace this object fails before
     * anything is sent, naming it and this line; recorded in the state, it still protects once
     * the block is deleted. {@code preventDestroy false} (or no rule) lifts it.
     */
    void preventDestroy(Object value) {
        if (!(value instanceof Boolean)) {
            throw new DslException(Diagnostic.error('preventDestroy takes true or false',
                    "Got ${describe(value)}. Write preventDestroy true.".toString()).at(here()).forResource(blockAddress))
        }
        protectedAt = value ? here() : null
    }

    private SourceLocation createFirstAt

    /**
     * {@code createBeforeDestroy true}: when the object must be replaced, the new one is made
     * (and, for a machine, started and healthy) before the old one is deleted.
     */
    void createBeforeDestroy(Object value) {
        if (!(value instanceof Boolean)) {
            throw new DslException(Diagnostic.error('createBeforeDestroy takes true or false',
                    "Got ${describe(value)}. Write createBeforeDestroy true.".toString()).at(here()).forResource(blockAddress))
        }
        createFirstAt = value ? here() : null
    }

    /** The attributes a user may set, as the schema spells them. */
    List<String> settableAttributes() {
        attributeNames().collect { ResourceBlock.snake(it) }
    }

    ResourceConfig toConfig() {
        new ResourceConfig(blockAddress, attributes, location, attributeLocations, dependsOn,
                ignored.isEmpty() && !ignoreAll && protectedAt == null && createFirstAt == null ? Lifecycle.NONE
                        : new Lifecycle(ignored, ignoreAll, ignoreAt, protectedAt, createFirstAt))
    }

    /** {@code variable('region', 'iad')} inside a block reads a variable, as at the top level. */
    Object variable(String name, Object defaultValue = null) {
        declarations.variable(name, defaultValue, here())
    }

    /** {@code env('NAME')} inside a block reads the process environment, as at the top level. */
    String env(String name) {
        declarations.env(name, here())
    }

    // A misspelt attribute must fail here, with the file, the line and a suggestion, rather than
    // silently resolve somewhere else.
    def propertyMissing(String name, Object value) {
        throw unknownAttribute(name)
    }

    def propertyMissing(String name) {
        if (name == 'data') {
            return new DataNamespace(declarations.schema, declarations.modulePath)
        }
        if (name == 'workspace') {
            return declarations.workspace
        }
        if (name == 'all') {
            return ALL
        }
        // fly_app.web inside a block too
        String referenced = declarations.schema.resourceTypes()[name]?.referencedBy()
        if (referenced != null) {
            return new BlockNamespace(name, referenced, declarations.modulePath)
        }
        if (name in computedNames()) {
            return new Reference(blockAddress, snake(name))
        }
        String hint = Suggestions.didYouMean(name, attributeNames() + computedNames())
        throw new DslException(Diagnostic.error("Unknown name `${name}` in ${blockAddress.type()} block \"${blockAddress.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "It is neither an attribute of ${blockAddress.type()} nor a variable in scope.")
                .at(here()).forResource(blockAddress))
    }

    def methodMissing(String name, Object args) {
        String hint = Suggestions.didYouMean(name, attributeNames())
        throw new DslException(Diagnostic.error("Unknown setting `${name}` in ${blockAddress.type()} block \"${blockAddress.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "Attributes of ${blockAddress.type()}: ${attributeNames().join(', ')}.")
                .at(here()).forResource(blockAddress))
    }

    /** Set once the block's closure has run: what is set after that is set outside it. */
    boolean closed

    private DslException unknownAttribute(String name) {
        if (name in attributeNames() || name in ['dependsOn', 'ignoreChanges', 'preventDestroy']) {
            String where = "${blockAddress.type()} block \"${blockAddress.name()}\"".toString()
            return new DslException((closed
                    ? Diagnostic.error("`${name}` is set after the ${where} was closed".toString(),
                            "Set it inside the block, where its other settings are.")
                    : Diagnostic.error("`${name}` in ${where} is written as a call, not with =".toString(),
                            "Write `${name} ...` without `=`, e.g. `${name} KEY: 'value'` for a map of settings.".toString()))
                    .at(here()).forResource(blockAddress).forAttribute(name))
        }
        String hint = Suggestions.didYouMean(name, attributeNames())
        new DslException(Diagnostic.error("Unsupported attribute `${name}` in ${blockAddress.type()} block \"${blockAddress.name()}\"".toString(),
                (hint ? hint + ' ' : '') + "Attributes of ${blockAddress.type()}: ${attributeNames().join(', ')}.")
                .at(here()).forResource(blockAddress).forAttribute(name))
    }

    /** {@code memoryMb} → {@code memory_mb}: the DSL is camelCase, Fly's API snake_case. */
    static String snake(String camel) {
        camel.replaceAll(/([a-z0-9])([A-Z])/, '$1_$2').toLowerCase()
    }

    @Override
    String toString() {
        blockAddress.toString()
    }
}
