package modelc.compiler.syntax;

/** The value of a quoted string literal, with Python's escapes. */
final class StringLiterals {
    private StringLiterals() {}

    /** {@code "a\tb"} or {@code 'a\tb'} → the characters between the quotes, escapes applied. */
    static String unquote(String literal) {
        String body = literal.substring(1, literal.length() - 1);
        StringBuilder sb = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                sb.append(c);
                continue;
            }
            char next = body.charAt(++i);
            switch (next) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case '\\', '\'', '"' -> sb.append(next);
                case 'u' -> {
                    if (i + 4 < body.length() && isHex(body.substring(i + 1, i + 5))) {
                        sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        sb.append('\\').append(next);
                    }
                }
                default -> sb.append('\\').append(next); // unknown escapes stay as written, as in Python
            }
        }
        return sb.toString();
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
