package dev.flyform.dsl

import dev.flyform.engine.config.Reference
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.AttributeSchema
import dev.flyform.engine.provider.AttributeType
import dev.flyform.engine.provider.ResourceSchema
import groovy.transform.CompileStatic

/**
 * A block of any resource type, made from its provider's schema alone: no code here knows the
 * type. Each settable attribute (in camelCase) is set as {@code name = value} or {@code name value};
 * a map attribute also as {@code env KEY: 'value'}, repeatable, merged. Any attribute read from
 * outside ({@code note.text}) is a reference to it. Types are checked once, by the planner,
 * against the same schema, at the line the value was set on.
 */
@CompileStatic
class SchemaBlock extends ResourceBlock {

    final ResourceSchema schema

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
        schema.settableNames().collect { camel(it) }
    }

    @Override
    List<String> computedNames() {
        schema.attributes().keySet().collect { camel(it) }
    }

    @Override
    String referenceAttribute() {
        schema.referencedBy()
    }

    /** {@code memory_mb} → {@code memoryMb}: the schema is snake_case, the DSL camelCase. */
    static String camel(String snake) {
        snake.replaceAll(/_([a-z0-9])/) { List<String> m -> m[1].toUpperCase() }
    }

    private AttributeSchema settable(String name) {
        AttributeSchema a = schema.attributes().get(snake(name))
        a != null && a.settable() && camel(a.name()) == name ? a : null
    }

    @Override
    def propertyMissing(String name, Object value) {
        AttributeSchema a = settable(name)
        if (a == null) {
            return super.propertyMissing(name, value)
        }
        record(a.name(), value)
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
        AttributeSchema a = settable(name)
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        if (a == null || given.length != 1) {
            return super.methodMissing(name, args)
        }
        Object value = given[0]
        if (a.type() == AttributeType.MAP && value instanceof Map) {
            Object earlier = recordedValue(a.name())
            Map<String, Object> merged = new LinkedHashMap<>(earlier instanceof Map ? (Map<String, Object>) earlier : [:])
            ((Map) value).each { k, v -> merged[String.valueOf(k)] = v }
            value = merged
        }
        record(a.name(), value)
    }
}
