// Features run one at a time, except those marked @Execution(CONCURRENT): the crash matrix,
// whose runs spend most of their time waiting (a halted JVM's state lock takes H2 about four
// seconds to give up), each with its own emulator and directory.
runner {
    parallel {
        enabled true
        defaultSpecificationExecutionMode = org.junit.platform.engine.support.hierarchical.Node.ExecutionMode.SAME_THREAD
        defaultExecutionMode = org.junit.platform.engine.support.hierarchical.Node.ExecutionMode.SAME_THREAD
        fixed(4)
    }
}
