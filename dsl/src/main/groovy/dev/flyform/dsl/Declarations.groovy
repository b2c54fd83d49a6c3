package dev.flyform.dsl

import dev.flyform.engine.addr.ResourceAddress
import dev.flyform.engine.config.Reference
import dev.flyform.engine.diag.Diagnostic
import dev.flyform.engine.diag.Diagnostics
import dev.flyform.engine.diag.SourceLocation
import dev.flyform.engine.provider.ProviderSchema
import dev.flyform.engine.provider.ResourceSchema
import groovy.transform.CompileStatic

import java.nio.file.Path

/**
 * What all the scripts of one configuration declared, and what they read: variables and the
 * process environment. Shared by every block, so nested shortcuts can declare resources too.
 */
@CompileStatic
class Declarations {

    final ScriptFiles files
    final Map<ResourceAddress, ResourceBlock> blocks
    final Map<String, OutputDeclaration> outputs = new TreeMap<>()
    /** What {@code removed 'ADDR'} asked to be no longer managed, by where it was said. */
    Map<ResourceAddress, SourceLocation> removed = new TreeMap<>()
    final Map<String, String> givenVariables
    final Map<String, String> environment
    final Map<String, SourceLocation> declaredVariables = new TreeMap<>()
    final Diagnostics diagnostics
    /** Every resource type of every provider: what the DSL offers beyond its own blocks. */
    final ProviderSchema schema

    /** Where the module this declares lives ({@code module.web}); empty for the root configuration. */
    final String modulePath
    /** A module's inputs, by variable name; null for the root configuration, which reads -var. */
    final Map<String, Object> inputs
    /** The directory of the files being read: a module's source is relative to it. */
    Path directory
    /** Reads a module's directory into its declarations; set by the loader. */
    ModuleLoader moduleLoader
    /** The modules declared here, by name. */
    final Map<String, ModuleInstance> modules = new TreeMap<>()
    /** The workspace being planned ({@code workspace} in a script): one per pull request, say. */
    String workspace = 'default'

    Declarations(ScriptFiles files, Map<String, String> givenVariables, Map<String, String> environment,
                 ProviderSchema schema = new ProviderSchema([:])) {
        this(files, givenVariables, environment, schema, new TreeMap<ResourceAddress, ResourceBlock>(), new Diagnostics(), '', null)
    }

    private Declarations(ScriptFiles files, Map<String, String> givenVariables, Map<String, String> environment,
                         ProviderSchema schema, Map<ResourceAddress, ResourceBlock> blocks, Diagnostics diagnostics,
                         String modulePath, Map<String, Object> inputs) {
        this.files = files
        this.givenVariables = new TreeMap<>(givenVariables)
        this.environment = environment
        this.schema = schema
        this.blocks = blocks
        this.diagnostics = diagnostics
        this.modulePath = modulePath
        this.inputs = inputs
    }

    /** What a module declares: its blocks beside everyone's (at its own addresses), its outputs its own. */
    Declarations module(String path, Map<String, Object> moduleInputs, Path moduleDirectory) {
        Declarations child = new Declarations(files, [:], environment, schema, blocks, diagnostics, path, moduleInputs)
        child.directory = moduleDirectory
        child.moduleLoader = moduleLoader
        child.workspace = workspace
        child.removed = removed   // one list for all: a module's are at its own addresses
        return child
    }

    /** How a module's files are read: by the loader, with its compiler and caches. */
    interface ModuleLoader {
        void load(Path moduleDirectory, Declarations module)
    }

    /**
     * The resource type a script names: by its type name ({@code toy_note}), or by the name
     * without its provider's prefix ({@code note}) when no other type has that name.
     */
    ResourceSchema typeNamed(String name) {
        ResourceSchema exact = schema.resourceTypes()[name]
        if (exact != null) {
            return exact
        }
        List<ResourceSchema> short_ = schema.resourceTypes().values().findAll { it.shortName() == name }.toList()
        short_.size() == 1 ? short_[0] : null
    }

    void add(ResourceBlock block) {
        ResourceBlock earlier = blocks.putIfAbsent(block.blockAddress, block)
        if (earlier != null) {
            throw new DslException(Diagnostic.error("Duplicate resource ${block.blockAddress}".toString(),
                    "It was first declared at ${earlier.location}. Each label must be unique within its type.".toString())
                    .at(block.location).forResource(block.blockAddress))
        }
    }

    void addOutput(OutputDeclaration output) {
        OutputDeclaration earlier = outputs.putIfAbsent(output.name(), output)
        if (earlier != null) {
            throw new DslException(Diagnostic.error("Duplicate output \"${output.name()}\"".toString(),
                    "It was first declared at ${earlier.location()}.".toString()).at(output.location()))
        }
    }

    /** {@code env('NAME')}: the process environment, read while the script runs. */
    String env(String name, SourceLocation where) {
        String value = environment[name]
        if (value == null) {
            throw new DslException(Diagnostic.error("Environment variable ${name} is not set".toString(),
                    "The configuration reads it with env('${name}'). Export it before running flyform.".toString()).at(where))
        }
        return value
    }

    /**
     * A variable's value, read at {@code where}: in a module its input, else the value given (see
     * the command line's -var, -var-file, FLYFORM_VAR_ and automatic files), else {@code defaultValue}.
     */
    Object variable(String name, Object defaultValue, SourceLocation where) {
        declaredVariables.putIfAbsent(name, where)
        if (inputs != null) {
            // In a module: its inputs, given in the module block, not -var.
            if (inputs.containsKey(name)) {
                return inputs[name]
            }
            if (defaultValue == null) {
                throw new DslException(Diagnostic.error("Module ${modulePath} needs input `${name}`".toString(),
                        "Give it in the module's block: ${name} = ...".toString()).at(where))
            }
            return defaultValue
        }
        String given = givenVariables[name]
        if (given == null) {
            if (defaultValue == null) {
                throw new DslException(Diagnostic.error("No value for variable \"${name}\"".toString(),
                        ("Give it with -var ${name}=VALUE, in a -var-file or a *.auto.vars.yml file (${name}: VALUE), "
                                + "or as the environment variable FLYFORM_VAR_${name}; or give the variable a default. "
                                + "flyform never asks for it (-input=false changes nothing).").toString()).at(where))
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
}
