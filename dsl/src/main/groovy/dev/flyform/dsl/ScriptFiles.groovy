package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

import java.security.MessageDigest
import java.util.function.Function
import java.util.function.Predicate
import java.util.stream.Stream

/**
 * Maps the safe class names given to scripts (a file named {@code web.fly.groovy} is no valid
 * class name) back to the paths the user knows, and finds the user's line on a stack.
 */
@CompileStatic
class ScriptFiles {

    private final Map<String, String> displayNameByClass = [:]

    /**
     * The class name for a script file: its name made safe, plus a hash of its path, so it is
     * unique and stays the same when other files come and go (the compiled-script cache is kept
     * by class name).
     */
    String register(String displayName) {
        String base = displayName.replaceAll(/.*[\/\\]/, '').replaceAll(/\.fly\.groovy$/, '').replaceAll(/[^A-Za-z0-9]/, '_')
        String hash = MessageDigest.getInstance('SHA-256').digest(displayName.getBytes('UTF-8')).encodeHex().toString().substring(0, 10)
        String className = "FlyformScript_${base}_${hash}"
        displayNameByClass[className] = displayName
        return className
    }

    String displayName(String className) {
        displayNameByClass[className]
    }

    /** The innermost place in a user's script on {@code stack}, or null. */
    SourceLocation locate(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            SourceLocation found = locate(e.className, e.lineNumber)
            if (found != null) {
                return found
            }
        }
        return null
    }

    private SourceLocation locate(String cls, int line) {
        int dollar = cls.indexOf('$')
        String outer = dollar < 0 ? cls : cls.substring(0, dollar)
        String file = displayNameByClass[outer]
        return file != null && line > 0 ? new SourceLocation(file, line) : null
    }

    /**
     * Where the script that is running now is. Called for every attribute set: walks the stack
     * lazily, only up to the innermost script frame, instead of capturing all of it.
     */
    SourceLocation here() {
        StackWalker.instance.walk({ Stream<StackWalker.StackFrame> frames ->
            frames.map({ StackWalker.StackFrame f -> locate(f.className, f.lineNumber) } as Function<StackWalker.StackFrame, SourceLocation>)
                    .filter({ SourceLocation l -> l != null } as Predicate<SourceLocation>)
                    .findFirst().orElse(null)
        } as Function<Stream<StackWalker.StackFrame>, SourceLocation>)
    }
}
