package dev.flyform.engine.diag;

public enum Severity {
    ERROR,
    WARNING
}
