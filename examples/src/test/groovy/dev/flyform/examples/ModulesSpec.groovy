package dev.flyform.examples

import com.fasterxml.jackson.databind.ObjectMapper

import java.nio.file.Files
import java.nio.file.Path

/** Modules: examples/modules/fly-web-app, used by examples/module-shop and examples/module-blog, applied against the emulator. */
class ModulesSpec extends AgainstEmulator {

    static final ObjectMapper JSON = new ObjectMapper()

    def setup() {
        ['modules/fly-web-app', 'module-shop', 'module-blog'].each { String d ->
            Files.createDirectories(dir.resolve(d))
            Files.copy(Path.of(d).resolve('main.fly.groovy'), dir.resolve(d).resolve('main.fly.groovy'))
        }
    }

    /** Run from the temporary directory's root, as a user would with -chdir. */
    FlyformRun at(String chdir, String... args) {
        flyform((['-chdir', chdir] + (args as List<String>)) as String[])
    }

    def "one module, two configurations: each applies its own instance, at module addresses, and converges"() {
        when:
        def shop = at('module-shop', 'apply', '-auto-approve')
        def blog = at('module-blog', 'apply', '-auto-approve')
        def shopAgain = at('module-shop', 'plan')
        def blogAgain = at('module-blog', 'plan')
        def shopState = JSON.readTree(at('module-shop', 'state', 'pull').out)

        then: 'the inputs reached the module: names, the region, the default image'
        shop.exitCode == 0
        blog.exitCode == 0
        fly.apps()*.name().toSorted() == ['acme-blog', 'acme-shop']
        def shopMachine = fly.inventory().path('apps').path('acme-shop').path('machines').elements().next()
        shopMachine.path('region').asText() == 'ams'
        shopMachine.path('config').path('image').asText() == 'flyio/hellofly:latest'
        fly.inventory().path('apps').path('acme-blog').path('machines').elements().next().path('region').asText() == 'iad'
        fly.ips('acme-shop').size() == 2

        and: 'its blocks at addresses of their own; its outputs read by the configuration that uses it'
        shopState.path('resources')*.path('address')*.asText().toSorted() == ['module.shop.fly_app.web',
                'module.shop.fly_ip.web_shared_v4', 'module.shop.fly_ip.web_v6', 'module.shop.fly_machine.web_1']
        at('module-shop', 'output', '-raw', 'shop_url').out == 'https://acme-shop.fly.dev'
        at('module-blog', 'output', '-raw', 'blog_url').out == 'https://acme-blog.fly.dev'

        and: "a block beside the module refers to the module's output: a dependency like any other"
        fly.inventory().path('apps').path('acme-blog').path('certificates')*.asText() == ['blog.acme.example']
        JSON.readTree(at('module-blog', 'state', 'pull').out).path('resources')
                .find { it.path('address').asText() == 'fly_certificate.www' }.path('dependencies')*.asText() == ['module.blog.fly_app.web']
        shopAgain.out.startsWith('No changes.')
        blogAgain.out.startsWith('No changes.')
    }

    def "a mistake inside a module is told at the module's file and line; inputs are checked both ways"() {
        when:
        Files.writeString(dir.resolve('modules/fly-web-app/extra.fly.groovy'), "\nvolume('v') { app = fly_app.web; sizeGb = 'big' }\n")
        def inModule = at('module-shop', 'validate')
        Files.delete(dir.resolve('modules/fly-web-app/extra.fly.groovy'))
        Files.writeString(dir.resolve('module-shop/main.fly.groovy'), "module('shop', source: '../modules/fly-web-app') { appNmae = 'x' }\n")
        def misspeltInput = at('module-shop', 'validate')
        Files.writeString(dir.resolve('module-shop/main.fly.groovy'), "module('shop', source: '../modules/fly-web-app') { appName = 'x'; regoin = 'ams' }\n")
        def extraInput = at('module-shop', 'validate')
        Files.writeString(dir.resolve('module-shop/main.fly.groovy'), "module('shop', source: '../modules/nowhere') { appName = 'x' }\n")
        def noSource = at('module-shop', 'validate')

        then:
        inModule.exitCode == 1
        inModule.err.contains('Attribute `size_gb` of fly_volume must be a number')
        inModule.err.contains('on modules/fly-web-app/extra.fly.groovy:2, in module.shop.fly_volume.v')
        misspeltInput.exitCode == 1
        misspeltInput.err.contains('Module module.shop needs input `appName`')
        misspeltInput.err.contains('on modules/fly-web-app/main.fly.groovy:5')
        extraInput.exitCode == 1
        extraInput.err.contains('Module shop takes no input regoin')
        extraInput.err.contains('Did you mean `region`?')
        noSource.exitCode == 1
        noSource.err.contains('Module module.shop has no configuration in')
        noSource.err.contains('on module-shop/main.fly.groovy:1')
        fly.calls().isEmpty()
    }
}
