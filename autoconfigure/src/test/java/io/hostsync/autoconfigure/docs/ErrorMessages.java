package io.hostsync.autoconfigure.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.hostsync.docs.Documentation;

/**
 * The error messages in hostsync's main sources, found by reading them: every
 * {@code new ...Exception(...)} or {@code new ...Error(...)}, and every {@code throw helper(...)},
 * with its message as a template of literal text and {@code <expression>} placeholders; and the
 * problems the health contributor reports ({@code problems.add(...)}). Also the exception
 * classes the sources declare.
 */
final class ErrorMessages {

    /** Fragments of literal text shorter than this say too little to look for. */
    static final int MINIMUM_FRAGMENT = 8;

    private static final Pattern EXCEPTION_TYPE = Pattern.compile("(?:[A-Z]\\w*)?(?:Exception|Error)");

    private static final Pattern DECLARED_EXCEPTION = Pattern
            .compile("\\bclass\\s+(\\w+(?:Exception|Error))\\s+extends\\s+(\\w+)");

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+);");

    private ErrorMessages() {
    }

    /**
     * One place that builds an error message.
     *
     * @param source the file, relative to the repository root
     * @param line the line of the {@code new} or {@code throw}
     * @param type the exception type, or the helper method that builds it
     * @param template the message, literal text with {@code <...>} where an expression goes
     * @param fragments the literal runs of the message, whitespace collapsed, each at least
     *     {@link #MINIMUM_FRAGMENT} characters once trimmed
     */
    record Message(String source, int line, String type, String template, List<String> fragments) {

        String describe() {
            return this.source + ":" + this.line + " " + this.type + ": " + this.template;
        }
    }

    /**
     * Lists the error messages of the main sources of the given modules.
     *
     * @param root the repository root
     * @param modules module directories, such as {@code core}
     * @return the messages, by file and line
     */
    static List<Message> messages(Path root, String... modules) {
        List<Message> messages = new ArrayList<>();
        for (Path file : sources(root, modules)) {
            String text = Documentation.read(file);
            List<Token> tokens = tokenize(text);
            for (int index = 0; index < tokens.size(); index++) {
                Token token = tokens.get(index);
                String type = null;
                int open = -1;
                if (token.is("new") && index + 2 < tokens.size() && tokens.get(index + 2).is("(")
                        && EXCEPTION_TYPE.matcher(tokens.get(index + 1).text()).matches()) {
                    type = tokens.get(index + 1).text();
                    open = index + 2;
                } else if (token.is("problems") && index + 3 < tokens.size() && tokens.get(index + 1).is(".")
                        && tokens.get(index + 2).is("add") && tokens.get(index + 3).is("(")) {
                    type = "health problem";
                    open = index + 3;
                } else if (token.is("throw") && index + 1 < tokens.size() && !tokens.get(index + 1).is("new")) {
                    int call = index + 1;
                    StringBuilder name = new StringBuilder();
                    while (call < tokens.size() && (tokens.get(call).isWord() || tokens.get(call).is("."))) {
                        name.append(tokens.get(call).text());
                        call++;
                    }
                    if (call < tokens.size() && tokens.get(call).is("(") && name.length() > 0) {
                        type = name.toString();
                        open = call;
                    }
                }
                if (type != null) {
                    Message message = message(root.relativize(file).toString(), token.line(), type, tokens, open);
                    if (message != null) {
                        messages.add(message);
                    }
                }
            }
        }
        return messages;
    }

    /**
     * Lists the exception classes the main sources of the given modules declare.
     *
     * @param root the repository root
     * @param modules module directories
     * @return class names, such as {@code io.hostsync.RegionFullException}
     */
    static List<String> exceptionClasses(Path root, String... modules) {
        List<String> classes = new ArrayList<>();
        for (Path file : sources(root, modules)) {
            Matcher matcher = DECLARED_EXCEPTION.matcher(Documentation.read(file));
            String packageName = PACKAGE.matcher(Documentation.read(file)).results().map((found) -> found.group(1))
                    .findFirst().orElse("");
            while (matcher.find()) {
                classes.add(packageName + "." + matcher.group(1));
            }
        }
        return classes;
    }

    /** Collapses whitespace, so that text wrapped in a page compares with text on one line. */
    static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static Message message(String source, int line, String type, List<Token> tokens, int open) {
        List<List<Token>> arguments = arguments(tokens, open);
        List<Token> richest = null;
        int richestLength = 0;
        for (List<Token> argument : arguments) {
            int length = argument.stream().filter(Token::isString).mapToInt((token) -> token.text().length()).sum();
            if (length > richestLength) {
                richest = argument;
                richestLength = length;
            }
        }
        if (richest == null) {
            return null;
        }
        StringBuilder template = new StringBuilder();
        List<String> fragments = new ArrayList<>();
        StringBuilder fragment = new StringBuilder();
        for (List<Token> part : split(richest, "+")) {
            if (part.size() == 1 && part.get(0).isString()) {
                template.append(part.get(0).text());
                fragment.append(part.get(0).text());
            } else {
                template.append('<').append(source(part)).append('>');
                addFragment(fragments, fragment);
            }
        }
        addFragment(fragments, fragment);
        return new Message(source, line, type, template.toString(), fragments);
    }

    private static void addFragment(List<String> fragments, StringBuilder fragment) {
        String text = normalize(fragment.toString());
        if (text.length() >= MINIMUM_FRAGMENT) {
            fragments.add(text);
        }
        fragment.setLength(0);
    }

    /** The arguments of the call whose "(" is at {@code open}, each as its tokens. */
    private static List<List<Token>> arguments(List<Token> tokens, int open) {
        int depth = 0;
        List<Token> inside = new ArrayList<>();
        for (int index = open; index < tokens.size(); index++) {
            Token token = tokens.get(index);
            if (token.is("(") || token.is("[") || token.is("{")) {
                depth++;
            } else if (token.is(")") || token.is("]") || token.is("}")) {
                depth--;
            }
            if (depth == 0) {
                break;
            }
            if (index > open) {
                inside.add(token);
            }
        }
        return split(inside, ",");
    }

    /** Splits tokens at a separator that is not nested in brackets. */
    private static List<List<Token>> split(List<Token> tokens, String separator) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> part = new ArrayList<>();
        int depth = 0;
        for (Token token : tokens) {
            if (token.is("(") || token.is("[") || token.is("{")) {
                depth++;
            } else if (token.is(")") || token.is("]") || token.is("}")) {
                depth--;
            }
            if (depth == 0 && token.is(separator)) {
                parts.add(part);
                part = new ArrayList<>();
            } else {
                part.add(token);
            }
        }
        if (!part.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    private static String source(List<Token> part) {
        StringBuilder text = new StringBuilder();
        for (Token token : part) {
            text.append(token.isString() ? "\"" + token.text() + "\"" : token.text());
        }
        return text.toString();
    }

    private static List<Path> sources(Path root, String... modules) {
        List<Path> files = new ArrayList<>();
        for (String module : modules) {
            try (Stream<Path> walk = Files.walk(root.resolve(module).resolve("src/main/java"))) {
                walk.filter((path) -> path.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return files;
    }

    /**
     * A Java token: a string literal (its value), a word, or one other character. Comments,
     * whitespace and character literals are dropped.
     */
    private record Token(String text, int line, boolean isString) {

        boolean is(String other) {
            return !this.isString && this.text.equals(other);
        }

        boolean isWord() {
            return !this.isString && Character.isJavaIdentifierStart(this.text.charAt(0));
        }
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int line = 1;
        int index = 0;
        while (index < text.length()) {
            char c = text.charAt(index);
            if (c == '\n') {
                line++;
                index++;
            } else if (Character.isWhitespace(c)) {
                index++;
            } else if (text.startsWith("//", index)) {
                index = text.indexOf('\n', index);
                index = (index < 0) ? text.length() : index;
            } else if (text.startsWith("/*", index)) {
                int end = text.indexOf("*/", index + 2);
                end = (end < 0) ? text.length() : end + 2;
                line += (int) text.substring(index, end).chars().filter((ch) -> ch == '\n').count();
                index = end;
            } else if (c == '"' || c == '\'') {
                StringBuilder value = new StringBuilder();
                int at = index + 1;
                while (at < text.length() && text.charAt(at) != c) {
                    char next = text.charAt(at);
                    if (next == '\\' && at + 1 < text.length()) {
                        char escaped = text.charAt(at + 1);
                        value.append(switch (escaped) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            default -> escaped;
                        });
                        at += 2;
                    } else {
                        value.append(next);
                        at++;
                    }
                }
                if (c == '"') {
                    tokens.add(new Token(value.toString(), line, true));
                }
                index = at + 1;
            } else if (Character.isJavaIdentifierStart(c)) {
                int at = index;
                while (at < text.length() && Character.isJavaIdentifierPart(text.charAt(at))) {
                    at++;
                }
                tokens.add(new Token(text.substring(index, at), line, false));
                index = at;
            } else {
                tokens.add(new Token(String.valueOf(c), line, false));
                index++;
            }
        }
        return tokens;
    }
}
