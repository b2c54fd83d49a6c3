package dev.flyform.examples

import dev.flyform.examples.toy.ToyProvider

import java.nio.file.Files

/**
 * A second provider found on the class path (the in-memory toy of the test scope), declared in
 * a .fly.groovy beside Fly's resources, with references both ways: the DSL and the engine have
 * no code of their own for it.
 */
class PluginProviderSpec extends AgainstEmulator {

    def setup() {
        ToyProvider.notes(dir).clear()
        Files.writeString(dir.resolve('main.fly.groovy'), '''\
            note('appname') { text = 'toy-named-app' }                   // by its short name: no other provider has a "note"
            def web = app('web') { name = toy_note.appname.text }          // Fly depends on the toy
            toy_note('greeting') {                                         // the toy depends on Fly
                text = web.id
                tags kind: 'greeting'
                tags lang: 'en'
            }
            output 'name_length', toy_note.appname.length
            '''.stripIndent())
    }

    def cleanup() {
        ToyProvider.notes(dir).clear()
    }

    def "a plugin's resources plan and apply beside Fly's, with references both ways, and converge"() {
        when:
        def plan = flyform('plan')
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')

        then: 'planned in dependency order across providers'
        plan.exitCode == 0
        plan.out.contains('# toy_note.appname will be created')
        plan.out.contains('# toy_note.greeting will be created')
        plan.out.contains('+ name    = "toy-named-app"')
        plan.out.contains('Plan: 3 to add, 0 to change, 0 to destroy.')

        and: 'each provider holds its own objects, made from the other'
        apply.exitCode == 0
        fly.app('toy-named-app').isPresent()
        def greeting = ToyProvider.notes(dir).values().find { it.tags == [kind: 'greeting', lang: 'en'] }
        greeting.text == fly.app('toy-named-app').get().id()
        ToyProvider.notes(dir).size() == 2
        flyform('output', '-raw', 'name_length').out == '13'
        again.out.startsWith('No changes.')

        when: 'the toy changes the Fly app it names'
        Files.writeString(dir.resolve('main.fly.groovy'), Files.readString(dir.resolve('main.fly.groovy')).replace("'toy-named-app'", "'toy-renamed-app'"))
        def replace = flyform('apply', '-auto-approve')

        then:
        replace.exitCode == 0
        fly.apps()*.name() == ['toy-renamed-app']
        ToyProvider.notes(dir).values()*.text.toSet() == ['toy-renamed-app', fly.app('toy-renamed-app').get().id()] as Set

        when:
        def destroy = flyform('destroy', '-auto-approve')

        then: 'both providers emptied'
        destroy.exitCode == 0
        fly.apps().isEmpty()
        ToyProvider.notes(dir).isEmpty()
    }

    def "a plugin type's attributes are checked against its schema, at the line that set them, before any call"() {
        when:
        Files.writeString(dir.resolve('bad.fly.groovy'), "toy_note('bad') {\n    txet = 'x'\n}\n")
        def misspelt = flyform('validate')
        Files.writeString(dir.resolve('bad.fly.groovy'), "toy_note('bad') {\n    text = 42\n}\n")
        def wrongType = flyform('validate')

        then:
        misspelt.exitCode == 1
        misspelt.err.contains('Unsupported attribute `txet` in toy_note block "bad"')
        misspelt.err.contains('on bad.fly.groovy:2')
        misspelt.err.contains('Did you mean `text`?')
        wrongType.exitCode == 1
        wrongType.err.contains('Attribute `text` of toy_note must be a string')
        wrongType.err.contains('on bad.fly.groovy:2, in toy_note.bad (attribute text)')
        fly.calls().isEmpty()
    }

    def "a plugin type's lists of objects and its shortcut are written as Fly's are, from its schema alone"() {
        given:
        Files.writeString(dir.resolve('thread.fly.groovy'), '''\
            note('question') {
                text = 'ship it?'
                link 'https://example.com/pr/1', title: 'the PR'
                link 'https://example.com/ci'
                reply 'yes'
            }
            '''.stripIndent())

        when:
        def apply = flyform('apply', '-auto-approve')
        def again = flyform('plan')

        then: 'the links belong to the note, in order, and the reply is a note of its own answering it'
        apply.exitCode == 0
        def notes = ToyProvider.notes(dir)
        def question = notes.find { id, note -> note.text == 'ship it?' }
        question.value.links == [[url: 'https://example.com/pr/1', title: 'the PR'], [url: 'https://example.com/ci']]
        notes.values().findAll { it.text == 'yes' }*.reply_to == [question.key]
        notes.size() == 4
        again.out.startsWith('No changes.')
        flyform('state', 'list').out.contains('toy_note.question_yes')
    }
}
