package dev.flyform.dsl

import groovy.transform.CompileStatic

/**
 * What a provider's reader declared from another tool's file ({@code flyToml('fly.toml') { ... }}),
 * as its closure sees it: the first block, extended as if its own block went on
 * ({@code ip 'v6'}, {@code certificate '...'}, {@code secret ...}), and each group of the others
 * by its name ({@code machines { ignoreChanges 'image' }} runs for every machine it declared).
 */
@CompileStatic
class DeclaredBlocks {

    private final SchemaBlock primary
    private final Map<String, List<SchemaBlock>> groups

    DeclaredBlocks(SchemaBlock primary, Map<String, List<SchemaBlock>> groups) {
        this.primary = primary
        this.groups = groups
    }

    def methodMissing(String name, Object args) {
        Object[] given = args instanceof Object[] ? (Object[]) args : [args] as Object[]
        List<SchemaBlock> group = groups[name]
        if (group != null && given.length == 1 && given[0] instanceof Closure) {
            for (SchemaBlock block : group) {
                Closure<?> c = (Closure<?>) ((Closure<?>) given[0]).clone()
                c.resolveStrategy = Closure.DELEGATE_ONLY
                c.delegate = block
                c.call()
            }
            return group
        }
        return primary.invokeMethod(name, given)
    }

    def propertyMissing(String name, Object value) {
        primary.setProperty(name, value)
    }

    def propertyMissing(String name) {
        primary.getProperty(name)
    }
}
