package dev.flyform.examples

import dev.flyform.dsl.AppBlock
import dev.flyform.dsl.CertificateBlock
import dev.flyform.dsl.Declarations
import dev.flyform.dsl.IpBlock
import dev.flyform.dsl.MachineBlock
import dev.flyform.dsl.ResourceBlock
import dev.flyform.dsl.ScriptFiles
import dev.flyform.dsl.SecretBlock
import dev.flyform.dsl.VolumeBlock
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.ResourceSchema
import dev.flyform.provider.fly.FlyProvider
import dev.flyform.provider.fly.FlySettings
import spock.lang.Shared
import spock.lang.Specification

/**
 * The DSL's blocks for Fly's types and the provider's schemas agree, both ways: every attribute a
 * user may set is reachable from the block (camelCase, or the singular of a list set one at a
 * time: service, check, mount), every name the block offers is an attribute of the schema or a
 * shortcut to another type, and every value only Fly sets reads from outside. A type added to the
 * provider, or an attribute added to one, fails this until the DSL offers it.
 */
class DslVocabularySpec extends Specification {

    /** Names an app block offers that declare another type: its shortcuts. */
    static final Map<String, String> SHORTCUTS = [ip: 'fly_ip', certificate: 'fly_certificate', secret: 'fly_secret']

    @Shared
    Map<String, ResourceSchema> schemas = new FlyProvider(FlySettings.of(URI.create('http://127.0.0.1:9'), URI.create('http://127.0.0.1:9'),
            'unused'), 'personal', 'vocabulary-test').schema().resourceTypes()

    @Shared
    Declarations declarations = new Declarations(new ScriptFiles(), [:], [:])

    static String camel(String snake) {
        snake.replaceAll(/_([a-z0-9])/) { all, c -> c.toUpperCase() }
    }

    def "every Fly resource type can be declared: those with no block of their own through the schema-driven one"() {
        given:
        Set<String> ownBlocks = blocks()*.blockAddress*.type() as Set
        Set<String> others = schemas.keySet() - ownBlocks

        expect: 'each of the others is declared from its schema alone, by its name without the prefix'
        schemas.keySet().containsAll(ownBlocks)
        others.every { String type ->
            ResourceSchema schema = schemas[type]
            String settings = schema.attributes().values().findAll { it.required() }.collect { "${camel(it.name())} = 'iad'" }.join('; ')
            def config = new dev.flyform.dsl.ConfigLoader(dev.flyform.dsl.CompiledScripts.NONE, new dev.flyform.engine.provider.ProviderSchema(schemas))
                    .loadSources(['main.fly.groovy': "${schema.shortName()}('x') { ${settings} }\n".toString()], [:])
            config.resources().keySet()*.toString() == [type + '.x']
        }
    }

    def "#type: the block offers exactly the schema's settable attributes, and reads its computed ones"() {
        given:
        ResourceBlock block = blocks().find { it.blockAddress.type() == type }
        ResourceSchema schema = schemas[type]
        Set<String> offered = block.attributeNames().findAll { !SHORTCUTS.containsKey(it) || type != 'fly_app' } as Set
        Set<String> settable = schema.settableNames().collect { camel(it) } as Set
        Set<String> listedOneByOne = settable.findAll { it.endsWith('s') && offered.contains(it[0..-2]) }

        expect: 'nothing settable is missing from the block, and the block offers nothing the schema lacks'
        (settable - listedOneByOne) + listedOneByOne.collect { it[0..-2] } == offered
        type != 'fly_app' || block.attributeNames().findAll { SHORTCUTS.containsKey(it) }.every { schemas.containsKey(SHORTCUTS[it]) }

        and: 'every value only Fly sets can be read from outside the block'
        schema.attributes().values().findAll { it.computed() && !it.settable() }.collect { camel(it.name()) }.every {
            block.computedNames().contains(it)
        }

        and: 'what a block means as a value is what the schema says'
        block.referenceAttribute() == schema.referencedBy()

        where:
        type << ['fly_app', 'fly_ip', 'fly_certificate', 'fly_secret', 'fly_volume', 'fly_machine']
    }

    private List<ResourceBlock> blocks() {
        SourceLocation at = new SourceLocation('vocabulary.fly.groovy', 1)
        [new AppBlock('a', at, declarations), new IpBlock('i', at, declarations), new CertificateBlock('c', at, declarations),
         new SecretBlock('s', at, declarations), new VolumeBlock('v', at, declarations), new MachineBlock('m', at, declarations)]
    }
}
