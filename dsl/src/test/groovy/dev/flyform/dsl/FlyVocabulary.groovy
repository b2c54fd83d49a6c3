package dev.flyform.dsl

import dev.flyform.engine.config.Configuration
import dev.flyform.engine.plan.Planner
import dev.flyform.provider.fly.FlyProvider
import dev.flyform.provider.fly.FlySettings

/**
 * Scripts read as flyform reads them: with the Fly provider's schema (no call is made: nothing
 * listens at its address), and checked by the engine against the same schema.
 */
class FlyVocabulary {

    static final FlyProvider PROVIDER = new FlyProvider(FlySettings.of(URI.create('http://127.0.0.1:9'),
            URI.create('http://127.0.0.1:9'), 'unused'), 'personal', 'dsl-test')

    static ConfigLoader loader(CompiledScripts compiled = CompiledScripts.NONE) {
        new ConfigLoader(compiled, PROVIDER.schema())
    }

    /** The configuration, or a DiagnosticsException with what the engine found wrong in it. */
    static Configuration checked(Configuration config) {
        new Planner(PROVIDER).validate(config).throwIfErrors()
        return config
    }
}
