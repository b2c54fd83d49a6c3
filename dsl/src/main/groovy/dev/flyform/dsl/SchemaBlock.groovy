package dev.flyform.dsl

import dev.flyform.engine.config.Reference
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.AttributeSchema
import dev.flyform.engine.provider.ResourceSchema
import dev.flyform.engine.provider.Shortcut
import groovy.transform.CompileStatic

/**
 * A block of any resource type, made from its provider's schema alone: no code here knows the
 * type. Attributes and the objects inside them are set as {@link Fields} says; the schema's
 * shortcuts declare blocks of other types inside this one ({@code ip 'v6'} in an app). Any
 * attribute read from outside ({@code web.certificate('www.acme.example').dnsValidationTarget})
 * is a reference to it. Types are checked once, by the engine, against the same schema, at the
 * line the value was set on.
 */
@CompileStatic
class SchemaBlock extends ResourceBlock implements Fields.Target {

    final ResourceSchema schema
    /** What each shortcut declared, by label: called again the same way after the block, it answers the same block. */
    private final Map<String, SchemaBlock> declaredHere = [:]

    SchemaBlock(ResourceSchema schema, String label, SourceLocation location, Declarations declarations) {
        this(schema, schema.type(), label, location, declarations)
    }

    /** @param addressType {@code data.fly_app} for a data source, else the schema's type */
    SchemaBlock(ResourceSchema schema, String addressType, String label, SourceLocation location, Declarations declarations) {
        super(addressType, label, location, declarations)
        this.schema = schema
    }

    @Override
    List<String> attributeNames() {
        Fields.vocabulary(schema.attributes()) + schema.shortcuts()*.name()
    }

    @Override
    List<String> computedNames() {
        schema.attributes().keySet().collect { Fields.camel(it) }
    }

    @Override
    String referenceAttribute() {
        schema.referencedBy()
    }

    static String camel(String snake) {
        Fields.camel(snake)
    }

    @Override
    Map<String, AttributeSchema> fields() { schema.attributes() }

    @Override
    Object current(String field) { recordedValue(field) }

    @Override
    void put(String field, Object value) {
        if (closed) {
            throw error("`${camel(field)}` is set after the ${describeTarget()} was closed".toString(),
                    'Set it inside the block, where its other settings are.')
        }
        record(field, value)
    }

    @Override
    String describeTarget() { "${blockAddress.type()} block \"${blockAddress.name()}\"".toString() }

    @Override
    DslException error(String summary, String detail) {
        new DslException(Diagnostic.error(summary, detail).at(here()).forResource(blockAddress))
    }

    @Override
    def propertyMissing(String name, Object value) {
        if (!Fields.assign(this, name, value)) {
            return super.propertyMissing(name, value)
        }
    }

    @Override
    def propertyMissing(String name) {
        AttributeSchema a = schema.attributes().get(snake(name))
        if (a != null && camel(a.name()) == name) {
            return new Reference(blockAddress, a.name())
        }
        return super.propertyMissing(name)
    }

    @Override
    def methodMissing(String name, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        Shortcut shortcut = schema.shortcuts().find { it.name() == name }
        if (shortcut != null) {
            return declare(shortcut, given)
        }
        Object set = Fields.call(this, name, given)
        return set.is(Fields.NOT_HANDLED) ? super.methodMissing(name, args) : set
    }

    /** {@code ip 'v6', region: 'ams'}: a block of the shortcut's type, of this one. */
    private SchemaBlock declare(Shortcut shortcut, Object[] given) {
        List<Object> args = given.toList()
        Map options = args && args[0] instanceof Map && args.size() > shortcut.positional().size() ? (Map) args.remove(0) : [:]
        ResourceSchema target = declarations.schema.resourceTypes()[shortcut.type()]
        String form = "${shortcut.name()} ${shortcut.positional().collect { camel(it).toUpperCase() }.join(', ')}"
        if (args.size() != shortcut.positional().size() || target == null) {
            throw error("`${shortcut.name()}` in ${describeTarget()} takes ${shortcut.positional().collect { camel(it) }.join(' and ')}".toString(),
                    "Write ${form}${target == null ? '' : ', with settings of ' + target.type() + ' as options'}.".toString())
        }
        String label = options.label != null ? String.valueOf(options.label) : shortcut.label(blockAddress.name(), args)
        SchemaBlock earlier = declaredHere[label]
        // After the block, web.certificate('www.acme.example') names what it declared; inside, twice is a duplicate.
        if (closed && earlier != null && options.isEmpty()
                && shortcut.positional().withIndex().every { String p, int i -> earlier.recordedValue(p) == args[i] }) {
            return earlier
        }
        SchemaBlock child = new SchemaBlock(target, label, here(), declarations)
        child.record(shortcut.parentAttribute(), this)
        shortcut.positional().eachWithIndex { String p, int i -> child.record(p, args[i]) }
        options.each { k, v ->
            if (k != 'label' && !Fields.assign(child, String.valueOf(k), v)) {
                throw error("Unknown option `${k}` for ${shortcut.name()}".toString(),
                        "Options: label, ${(Fields.vocabulary(target.attributes()) - [camel(shortcut.parentAttribute())] - shortcut.positional().collect { camel(it) }).join(', ')}.".toString())
            }
        }
        declarations.add(child)
        child.closed = true
        declaredHere[label] = child
        return child
    }
}
