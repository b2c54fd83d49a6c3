package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * The base class of every {@code .fly.groovy} script. Its methods only record declarations;
 * nothing here calls an API.
 */
@CompileStatic
abstract class FlyformScript extends Script {

    private Declarations declarations
    private ScriptFiles files

    @groovy.transform.PackageScope
    void attach(Declarations declarations, ScriptFiles files) {
        this.declarations = declarations
        this.files = files
    }

    /**
     * Declares a Fly app, address {@code fly_app.LABEL}.
     * <pre>
     * app('web') {
     *     name = 'acme-web'
     *     org  = 'acme'
     * }
     * </pre>
     */
    AppBlock app(String label,
                 @DelegatesTo(value = AppBlock, strategy = Closure.DELEGATE_ONLY) Closure<?> body) {
        SourceLocation where = files.here()
        checkLabel(label, where)
        AppBlock block = new AppBlock(label, where, files)
        declarations.add(block)
        Closure<?> c = (Closure<?>) body.clone()
        c.resolveStrategy = Closure.DELEGATE_ONLY
        c.delegate = block
        c.call()
        return block
    }

    /**
     * An input: {@code -var NAME=VALUE} on the command line, else {@code defaultValue}.
     * A default that is a number or boolean makes the given value one too.
     */
    Object variable(String name, Object defaultValue = null) {
        SourceLocation where = files.here()
        declarations.declaredVariables.putIfAbsent(name, where)
        String given = declarations.givenVariables[name]
        if (given == null) {
            if (defaultValue == null) {
                throw new DslException(Diagnostic.error("No value for variable \"${name}\"".toString(),
                        "Pass one with -var ${name}=VALUE, or give the variable a default.".toString()).at(where))
            }
            return defaultValue
        }
        return convert(name, given, defaultValue, where)
    }

    private static Object convert(String name, String given, Object defaultValue, SourceLocation where) {
        if (defaultValue instanceof Boolean) {
            if (given in ['true', 'false']) {
                return Boolean.valueOf(given)
            }
            throw new DslException(Diagnostic.error("Variable \"${name}\" must be true or false, got \"${given}\"".toString(), '').at(where))
        }
        if (defaultValue instanceof Number) {
            try {
                return given.contains('.') ? (Object) new BigDecimal(given) : (Object) Long.valueOf(given)
            } catch (NumberFormatException ignored) {
                throw new DslException(Diagnostic.error("Variable \"${name}\" must be a number, got \"${given}\"".toString(), '').at(where))
            }
        }
        return given
    }

    private static void checkLabel(String label, SourceLocation where) {
        if (!ResourceAddress.isValidName(label)) {
            throw new DslException(Diagnostic.error("Invalid resource label \"${label}\"".toString(),
                    "Labels use letters, digits, '_' and '-', and start with a letter or '_'.").at(where))
        }
    }
}
