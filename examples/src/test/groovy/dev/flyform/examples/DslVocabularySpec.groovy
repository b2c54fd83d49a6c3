package dev.flyform.examples

import dev.flyform.dsl.CompiledScripts
import dev.flyform.dsl.ConfigLoader
import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.Reference
import dev.flyform.engine.provider.AttributeSchema
import dev.flyform.engine.provider.AttributeType
import dev.flyform.engine.provider.ProviderSchema
import dev.flyform.engine.provider.ResourceSchema
import dev.flyform.engine.provider.Structure
import dev.flyform.provider.fly.FlyProvider
import dev.flyform.provider.fly.FlySettings
import spock.lang.Shared
import spock.lang.Specification

/**
 * The DSL's vocabulary for Fly's types is the provider's schema and nothing else: a script
 * written from the schema alone, setting every settable attribute and every field of every
 * object inside one (a machine's services with their ports, its checks by name, its mounts), is
 * read back into exactly the values the schema spells, and every shortcut declares its type.
 * There is no second list to drift: an attribute added to the provider is in the DSL at once,
 * and the DSL's generic block either reads every form the schema describes or this fails.
 */
class DslVocabularySpec extends Specification {

    @Shared
    ProviderSchema schema = new FlyProvider(FlySettings.of(URI.create('http://127.0.0.1:9'), URI.create('http://127.0.0.1:9'),
            'unused'), 'personal', 'vocabulary-test').schema()

    static String camel(String snake) {
        snake.replaceAll(/_([a-z0-9])/) { all, c -> c.toUpperCase() }
    }

    def load(String text) {
        new ConfigLoader(CompiledScripts.NONE, schema).loadSources(['main.fly.groovy': text], [:])
    }

    /** A value of the type, as Groovy text and as the DSL should record it. */
    static List sample(AttributeType type, Structure structure = null) {
        if (structure?.hasFields()) {   // objects: one field of each, as the schema spells it
            AttributeSchema f = structure.fields().values().find { it.settable() }
            List value = sample(f.type(), f.structure())
            String object = "[${camel(f.name())}: ${value[0]}]"
            Map recorded = [(f.name()): value[1]]
            if (type == AttributeType.LIST) {
                return ["[${object}]".toString(), [recorded]]
            }
            return structure.keyed() ? ["[one: ${object}]".toString(), [one: recorded]] : [object.toString(), recorded]
        }
        switch (type) {
            case AttributeType.STRING: return ["'s'", 's']
            case AttributeType.NUMBER: return ['7', 7]
            case AttributeType.BOOL: return ['true', true]
            case AttributeType.LIST:
                List element = structure?.element() ? sample(structure.element()) : ["'e'", 'e']
                return ["[${element[0]}]".toString(), [element[1]]]
            default:
                List element = structure?.element() ? sample(structure.element()) : ["'v'", 'v']
                return ["[K: ${element[0]}]".toString(), [K: element[1]]]
        }
    }

    /**
     * The settings of one object with {@code fields}: named options (as Groovy text), the lines of
     * a closure for the fields set one element at a time, and the object the DSL should record.
     */
    static List object(Structure s, Object first) {
        List<String> options = []
        List<String> lines = []
        Map<String, Object> expected = new LinkedHashMap<>()
        if (s.positional() != null) {
            expected[s.positional()] = first
        }
        s.fields().values().findAll { it.settable() && it.name() != s.positional() }.each { AttributeSchema f ->
            if (f.structure()?.singular() != null) {
                List<String> written = element(f)
                lines << written[0]
                expected[f.name()] = written[1]
            } else {
                List value = sample(f.type(), f.structure())
                options << "${camel(f.name())}: ${value[0]}".toString()
                expected[f.name()] = value[1]
            }
        }
        [options, lines, expected]
    }

    /** One element of a list (or named map) of objects, declared with its singular: the line and what it records. */
    static List element(AttributeSchema a) {
        Structure s = a.structure()
        List firstValue = s.keyed() ? ["'one'", 'one'] : s.positional() != null ? sample(s.fields()[s.positional()].type()) : null
        List parts = object(s, firstValue?.get(1))
        List<String> args = (firstValue ? [firstValue[0]] : []) + (List<String>) parts[0]
        String call = firstValue ? "${s.singular()} ${args.join(', ')}" : "${s.singular()}(${args.join(', ')})"
        if (parts[1]) {
            call = (firstValue ? "${s.singular()}(${args.join(', ')})" : call) + " { ${((List<String>) parts[1]).join('; ')} }"
        }
        Object recorded = s.keyed() ? [one: parts[2]] : [parts[2]]
        [call.toString(), recorded]
    }

    def "#type: every settable attribute, and every field inside one, is read as the schema spells it"() {
        given:
        ResourceSchema s = schema.resourceTypes()[type]
        List<String> lines = []
        Map<String, Object> expected = [:]
        s.attributes().values().findAll { it.settable() }.each { AttributeSchema a ->
            Structure st = a.structure()
            if (st?.singular() != null) {
                List written = element(a)
                lines << written[0]
                expected[a.name()] = written[1]
            } else if (st?.hasFields() && a.type() == AttributeType.MAP) {
                List parts = object(st, null)
                lines << "${camel(a.name())} ${((List<String>) parts[0]).join(', ')}".toString()
                expected[a.name()] = parts[2]
            } else {
                List value = sample(a.type(), st)
                lines << "${camel(a.name())} = ${value[0]}".toString()
                expected[a.name()] = value[1]
            }
        }
        String script = "${type}('x') {\n    ${lines.join('\n    ')}\n}\n"

        when:
        def config = load(script)

        then:
        config.resources()[new ResourceAddress(type, 'x')].attributes() == expected

        where:
        type << new FlyProvider(FlySettings.of(URI.create('http://127.0.0.1:9'), URI.create('http://127.0.0.1:9'), 'unused'),
                'personal', 'vocabulary-test').schema().resourceTypes().keySet().toList()
    }

    def "every type is declared by its name without the prefix, and every attribute reads from outside as a reference"() {
        expect:
        schema.resourceTypes().values().every { ResourceSchema s ->
            String reads = s.attributes().keySet().collect { "output '${it}', x.${camel(it)}" }.join('\n')
            def config = load("def x = ${s.shortName()}('x') { }\n${reads}\n")
            config.resources().keySet()*.toString() == [s.type() + '.x'] &&
                    config.outputs().values().every { it.value() == new Reference(new ResourceAddress(s.type(), 'x'), it.name()) }
        }
    }

    def "every shortcut declares its type, labelled from its parent and its values, referring to its parent"() {
        expect:
        schema.resourceTypes().values().every { ResourceSchema parent ->
            parent.shortcuts().every { shortcut ->
                List<String> values = shortcut.positional().collect { 'v-' + it }
                def config = load("${parent.type()}('p') { ${shortcut.name()} ${values.collect { "'${it}'" }.join(', ')} }\n")
                def child = config.resources()[new ResourceAddress(shortcut.type(), shortcut.label('p', values))]
                child != null && child.attributes() == [(shortcut.parentAttribute()): new Reference(new ResourceAddress(parent.type(), 'p'),
                        parent.referencedBy())] + [shortcut.positional(), values].transpose().collectEntries()
            }
        }
        schema.resourceTypes()['fly_app'].shortcuts()*.name() == ['ip', 'certificate', 'secret']
    }

    def "README's table of Fly's types names every type and every settable attribute, as a script writes it"() {
        given:
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of('..', 'README.md'))

        expect:
        schema.resourceTypes().values().every { ResourceSchema s ->
            String row = readme.readLines().find { it.startsWith("| `${s.type()}` |") }
            row != null && s.attributes().values().findAll { it.settable() }.every { AttributeSchema a ->
                String spelt = a.structure()?.singular() ?: camel(a.name())
                row.contains("`${spelt}`")
            }
        }
    }
}
