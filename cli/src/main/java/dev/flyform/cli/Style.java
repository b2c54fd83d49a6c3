package dev.flyform.cli;

/** Terminal colors, or none. */
final class Style {

    private final boolean color;

    Style(boolean color) {
        this.color = color;
    }

    String green(String s) {
        return wrap("32", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    String bold(String s) {
        return wrap("1", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
