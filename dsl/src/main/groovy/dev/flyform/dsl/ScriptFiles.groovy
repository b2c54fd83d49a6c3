package dev.flyform.dsl

import dev.flyform.engine.diag.SourceLocation
import groovy.transform.CompileStatic

/**
 * Maps the safe class names given to scripts (a file named {@code web.fly.groovy} is no valid
 * class name) back to the paths the user knows, and finds the user's line on a stack.
 */
@CompileStatic
class ScriptFiles {

    private final Map<String, String> displayNameByClass = [:]

    String register(String displayName, int index) {
        String base = displayName.replaceAll(/.*[\/\\]/, '').replaceAll(/\.fly\.groovy$/, '').replaceAll(/[^A-Za-z0-9]/, '_')
        String className = "FlyformScript${index}_${base}"
        displayNameByClass[className] = displayName
        return className
    }

    String displayName(String className) {
        displayNameByClass[className]
    }

    /** The innermost place in a user's script on {@code stack}, or null. */
    SourceLocation locate(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            String cls = e.className
            int dollar = cls.indexOf('$')
            String outer = dollar < 0 ? cls : cls.substring(0, dollar)
            String file = displayNameByClass[outer]
            if (file != null && e.lineNumber > 0) {
                return new SourceLocation(file, e.lineNumber)
            }
        }
        return null
    }

    /** Where the script that is running now is. */
    SourceLocation here() {
        locate(new Throwable().stackTrace)
    }
}
