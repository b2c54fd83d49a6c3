package dev.flyform.dsl

import groovy.transform.CompileStatic
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.tools.GroovyClass

import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.stream.Collectors
import java.util.stream.Stream

/**
 * Compiles scripts to classes, keeping the class files of each script in a cache directory
 * ({@code .flyform/cache/} of a workspace) so that the next run with the same text skips the
 * Groovy compiler, which is most of a small plan's start-up time.
 *
 * <p>An entry is keyed by a SHA-256 of everything the bytes depend on: the script's text, its
 * class name, the Groovy version and the build of this DSL. There is one file per script file:
 * an edit replaces the entry instead of adding one. An entry that is missing, stale or damaged
 * is a miss: the script is compiled again and the entry rewritten. Only scripts that compile are
 * kept, so every compile error is reported by the compiler itself.
 */
@CompileStatic
class CompiledScripts {

    private static final int FORMAT = 1
    private static final String MAGIC = 'flyform-compiled-script'

    /** Compiles every time and keeps nothing. */
    public static final CompiledScripts NONE = new CompiledScripts(null)

    private final Path dir
    private int compilations

    /** @param dir the cache directory, created (owner only) when the first entry is written; null: no cache */
    CompiledScripts(Path dir) {
        this.dir = dir
    }

    /**
     * The script class for {@code text}, from the cache when an entry matches, else compiled.
     *
     * @throws org.codehaus.groovy.control.MultipleCompilationErrorsException when it does not compile
     */
    Class<?> load(String className, String text, CompilerConfiguration compiler, ClassLoader parent) {
        String key = dir == null ? null : key(className, text)
        Path entry = dir == null ? null : dir.resolve(entryName(className))
        Map<String, byte[]> classes = entry == null ? null : read(entry, key)
        if (classes == null) {
            compilations++
            classes = compile(className, text, compiler, parent)
            if (entry != null) {
                write(entry, key, classes)
            }
        }
        return new ScriptClassLoader(parent, classes).loadClass(className)
    }

    private static String entryName(String className) {
        sha256(className).substring(0, 24) + '.classes'
    }

    /**
     * Deletes the entries of scripts that are no longer there (a file renamed or removed), so the
     * cache holds one entry per current script file. Best effort, like writing.
     */
    void retainOnly(Collection<String> classNames) {
        if (dir == null || !Files.isDirectory(dir)) {
            return
        }
        Set<String> keep = classNames.collect { String c -> entryName(c) }.toSet()
        try {
            Files.list(dir).withCloseable { Stream<Path> entries ->
                entries.filter { Path p -> p.fileName.toString().endsWith('.classes') && !keep.contains(p.fileName.toString()) }
                        .forEach { Path p -> Files.deleteIfExists(p) }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // an entry too many only takes space
        }
    }

    /** Scripts this instance had to compile: the rest came from the cache. */
    int compilations() {
        compilations
    }

    private static Map<String, byte[]> compile(String className, String text, CompilerConfiguration compiler, ClassLoader parent) {
        GroovyClassLoader loader = new GroovyClassLoader(parent, compiler)
        CompilationUnit unit = new CompilationUnit(compiler, null, loader)
        unit.addSource(className + '.groovy', text)
        unit.compile(Phases.CLASS_GENERATION)
        Map<String, byte[]> classes = new LinkedHashMap<>()
        for (GroovyClass c : unit.classes) {
            classes[c.name] = c.bytes
        }
        return classes
    }

    private static Map<String, byte[]> read(Path entry, String key) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(entry)))) {
            if (in.readUTF() != MAGIC || in.readInt() != FORMAT || in.readUTF() != key) {
                return null
            }
            String expected = in.readUTF()
            int count = in.readInt()
            Map<String, byte[]> classes = new LinkedHashMap<>()
            for (int i = 0; i < count; i++) {
                String name = in.readUTF()
                byte[] bytes = new byte[in.readInt()]
                in.readFully(bytes)
                classes[name] = bytes
            }
            return in.read() == -1 && expected == digest(classes) ? classes : null
        } catch (NoSuchFileException ignored) {
            return null
        } catch (IOException | RuntimeException | OutOfMemoryError ignored) {
            return null // damaged or cut short (a length read from garbage can be huge): compile again
        }
    }

    /** Best effort: a cache that cannot be written only costs the next run a compile. */
    private void write(Path entry, String key, Map<String, byte[]> classes) {
        Path tmp = null
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.parent)
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString('rwx------')))
                } catch (java.nio.file.FileAlreadyExistsException ignored) {
                    // another run made it first
                }
            }
            tmp = Files.createTempFile(dir, 'entry', '.tmp') // owner only, like every temporary file
            new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp))).withCloseable { DataOutputStream out ->
                out.writeUTF(MAGIC)
                out.writeInt(FORMAT)
                out.writeUTF(key)
                out.writeUTF(digest(classes))
                out.writeInt(classes.size())
                classes.each { String name, byte[] bytes ->
                    out.writeUTF(name)
                    out.writeInt(bytes.length)
                    out.write(bytes)
                }
            }
            try {
                Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
            } catch (AtomicMoveNotSupportedException ignored) {
                Files.move(tmp, entry, StandardCopyOption.REPLACE_EXISTING)
            }
            tmp = null
        } catch (IOException | UnsupportedOperationException ignored) {
            // no cache this time
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp)
            }
        }
    }

    /** Guards the class bytes: a flipped bit must not become different code. */
    private static String digest(Map<String, byte[]> classes) {
        MessageDigest md = MessageDigest.getInstance('SHA-256')
        classes.each { String name, byte[] bytes ->
            md.update(name.getBytes('UTF-8'))
            md.update(0 as byte)
            md.update(bytes)
        }
        md.digest().encodeHex().toString()
    }

    private static String key(String className, String text) {
        sha256([String.valueOf(FORMAT), GroovySystem.version, DSL_BUILD, className, text].join('\u0000'))
    }

    /** Identifies this build of the DSL: the jar (or class directory) script classes compile against. */
    private static final String DSL_BUILD = dslBuild()

    private static String dslBuild() {
        try {
            Path location = Path.of(CompiledScripts.protectionDomain.codeSource.location.toURI())
            if (Files.isRegularFile(location)) {
                return "${location}:${Files.size(location)}:${Files.getLastModifiedTime(location).toMillis()}".toString()
            }
            Stream<Path> files = Files.walk(location)
            try {
                return files.filter { Path p -> Files.isRegularFile(p) }.sorted()
                        .map { Path p -> "${p}:${Files.size(p)}:${Files.getLastModifiedTime(p).toMillis()}".toString() }
                        .collect(Collectors.joining('\n'))
            } finally {
                files.close()
            }
        } catch (Exception ignored) {
            return UUID.randomUUID().toString() // unknown build: entries never match, scripts always compile
        }
    }

    private static String sha256(String text) {
        MessageDigest.getInstance('SHA-256').digest(text.getBytes('UTF-8')).encodeHex().toString()
    }

    /** Defines a script's classes from their bytes, on demand and in any order. */
    private static final class ScriptClassLoader extends ClassLoader {

        private final Map<String, byte[]> classes

        ScriptClassLoader(ClassLoader parent, Map<String, byte[]> classes) {
            super(parent)
            this.classes = new HashMap<>(classes)
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes
            synchronized (classes) {
                bytes = classes.remove(name)
            }
            if (bytes == null) {
                throw new ClassNotFoundException(name)
            }
            return defineClass(name, bytes, 0, bytes.length)
        }
    }
}
