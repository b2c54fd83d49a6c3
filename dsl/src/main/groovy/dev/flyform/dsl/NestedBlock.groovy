package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.diag.Suggestions
import dev.flyform.engine.provider.AttributeSchema
import dev.flyform.engine.provider.Structure
import groovy.transform.CompileStatic

/**
 * The closure of an object inside a block, {@code service(internalPort: 8080) { port 443 }}: its
 * fields set as a block's attributes are ({@link Fields}), into the object.
 */
@CompileStatic
final class NestedBlock implements Fields.Target {

    private final Structure structure
    private final Map<String, Object> values
    private final String name
    private final Fields.Target owner

    private NestedBlock(Structure structure, Map<String, Object> values, String name, Fields.Target owner) {
        this.structure = structure
        this.values = values
        this.name = name
        this.owner = owner
    }

    /** Runs {@code body} with the fields of {@code structure} set into {@code values}. */
    static void run(Structure structure, Map<String, Object> values, String name, Fields.Target owner, Closure<?> body) {
        Closure<?> c = (Closure<?>) body.clone()
        c.resolveStrategy = Closure.DELEGATE_ONLY
        c.delegate = new NestedBlock(structure, values, name, owner)
        c.call()
    }

    @Override
    Map<String, AttributeSchema> fields() { structure.fields() }

    @Override
    Object current(String field) { values[field] }

    @Override
    void put(String field, Object value) { values[field] = value }

    @Override
    SourceLocation here() { owner.here() }

    @Override
    String describeTarget() { "${name} of ${owner.describeTarget()}".toString() }

    @Override
    DslException error(String summary, String detail) { owner.error(summary, detail) }

    def propertyMissing(String field, Object value) {
        if (!Fields.assign(this, field, value)) {
            throw unknown(field)
        }
    }

    def propertyMissing(String field) {
        throw unknown(field)
    }

    def methodMissing(String field, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        Object set = Fields.call(this, field, given)
        if (set.is(Fields.NOT_HANDLED)) {
            throw unknown(field)
        }
        return set
    }

    private DslException unknown(String field) {
        List<String> known = Fields.vocabulary(structure.fields())
        String hint = Suggestions.didYouMean(field, known)
        error("Unknown setting `${field}` in ${describeTarget()}".toString(),
                ((hint ? hint + ' ' : '') + "Its settings: ${known.join(', ')}.").toString())
    }
}
