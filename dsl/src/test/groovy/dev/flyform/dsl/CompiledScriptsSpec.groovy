package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.DiagnosticsException
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

/** Compiled scripts kept between runs: the same configuration either way, never a stale one. */
class CompiledScriptsSpec extends Specification {

    @TempDir
    Path dir

    Path cache

    def setup() {
        cache = dir.resolve('.flyform/cache')
        Files.createDirectories(dir.resolve('.flyform'))
    }

    int compilations

    /** A new loader and cache each time, as each flyform process has. */
    def load(Map<String, String> variables = [:]) {
        CompiledScripts compiled = new CompiledScripts(cache)
        try {
            return FlyVocabulary.loader(compiled).load(dir, variables)
        } finally {
            compilations += compiled.compilations()
        }
    }

    def "a script compiled once loads from the cache, giving the same configuration and source lines"() {
        given:
        write 'main.fly.groovy', '''\
            def region = variable('region', 'iad')
            app('web') {
                name = "acme-${region}"
                ip 'v6'
            }
            ['a', 'b'].each { n -> app(n) { name = "acme-${n}" } }
            '''.stripIndent()

        when:
        def first = load()
        def entries = cachedEntries()
        def modified = Files.getLastModifiedTime(entries[0])

        and:
        def second = load([region: 'ams'])

        then: 'one entry, the owner\'s only, reused (not rewritten) by the second run'
        compilations == 1
        entries.size() == 1
        PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)) == 'rwx------'
        PosixFilePermissions.toString(Files.getPosixFilePermissions(entries[0])) == 'rw-------'
        Files.getLastModifiedTime(entries[0]) == modified
        cachedEntries() == entries

        and: 'closures, variables and locations work from cached classes'
        first.resources().keySet()*.toString() == ['fly_app.a', 'fly_app.b', 'fly_app.web', 'fly_ip.web_v6']
        second.resources().keySet() == first.resources().keySet()
        web(first).attributes().name == 'acme-iad'
        web(second).attributes().name == 'acme-ams'
        web(second).location().toString() == 'main.fly.groovy:2'
        web(second).locationOf('name').toString() == 'main.fly.groovy:3'
    }

    def "an edited script is compiled again: the entry for its file is replaced, not added to"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'one' }"
        load()

        when:
        write 'main.fly.groovy', "app('web') { name = 'two' }"
        def config = load()

        then:
        config.resources().values()[0].attributes().name == 'two'
        compilations == 2
        cachedEntries().size() == 1

        when:
        load()

        then:
        compilations == 2
    }

    def "the entry of a script file that was renamed or removed is deleted"() {
        given:
        write 'a.fly.groovy', "app('a') { name = 'a' }"
        write 'b.fly.groovy', "app('b') { name = 'b' }"
        load()
        def before = cachedEntries()

        when:
        Files.move(dir.resolve('b.fly.groovy'), dir.resolve('c.fly.groovy'))
        load()

        then: 'a kept (not compiled again), b gone, c added'
        before.size() == 2
        cachedEntries().size() == 2
        cachedEntries().contains(before[0]) != cachedEntries().contains(before[1])
        compilations == 3

        when: 'a file that sorts first is added: the others stay cached'
        write '0.fly.groovy', "app('zero') { name = 'zero' }"
        load()

        then:
        compilations == 4
        cachedEntries().size() == 3

        when:
        Files.delete(dir.resolve('c.fly.groovy'))
        Files.delete(dir.resolve('0.fly.groovy'))
        load()

        then:
        cachedEntries().size() == 1
    }

    def "a damaged or cut-short entry is compiled again and rewritten"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }"
        load()
        Path entry = cachedEntries()[0]
        byte[] whole = Files.readAllBytes(entry)

        when:
        Files.write(entry, damage(whole))
        def config = load()

        then:
        config.resources().values()[0].attributes().name == 'web'
        compilations == 2
        Files.readAllBytes(entry) == whole

        where:
        damage << [
                { byte[] b -> Arrays.copyOf(b, b.length.intdiv(2)) },
                { byte[] b -> byte[] c = b.clone(); c[c.length - 10] ^= 0x5a; c },
                { byte[] b -> new byte[0] },
                { byte[] b -> Arrays.copyOf(b, b.length + 3) },
        ]
    }

    def "errors are the compiler's and the script's own, located, from a cached script too"() {
        given:
        write 'main.fly.groovy', "app('web') {\n  name = 'ok'\n}\nprintln undefinedThing\n"

        when: 'the script compiles (and is kept) but fails when it runs, twice'
        load()

        then:
        def first = thrown(DiagnosticsException)
        first.diagnostics()[0].location().toString() == 'main.fly.groovy:4'

        when:
        load()

        then:
        def second = thrown(DiagnosticsException)
        second.diagnostics()*.render() == first.diagnostics()*.render()
        compilations == 1
        cachedEntries().size() == 1

        when: 'a syntax error is never kept'
        write 'main.fly.groovy', "app('web') {\n  name = \n"
        load()

        then:
        def syntax = thrown(DiagnosticsException)
        syntax.diagnostics()[0].summary().startsWith('Syntax error')
        syntax.diagnostics()[0].location().file() == 'main.fly.groovy'
    }

    def "without a cache directory nothing is written"() {
        given:
        write 'main.fly.groovy', "app('web') { name = 'web' }"

        when:
        FlyVocabulary.loader().load(dir, [:])

        then:
        !Files.exists(cache)
    }

    private static web(config) {
        config.resources()[new ResourceAddress('fly_app', 'web')]
    }

    private List<Path> cachedEntries() {
        Files.list(cache).withCloseable { it.sorted().toList() }
    }

    private void write(String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }
}
