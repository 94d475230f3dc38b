package org.kmodel.vfs.nio.internal;

/** Glob to regex as {@link java.nio.file.FileSystem#getPathMatcher} documents it: *, **, ?, [...], {a,b}. */
final class Globs {
    private Globs() {}

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        re.append(".*");
                        i++;
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        re.append('[')
                                .append(set.startsWith("!") ? "^" + set.substring(1) : set)
                                .append(']');
                        i = end;
                    }
                }
                case '{' -> {
                    re.append("(?:");
                    inGroup = true;
                }
                case '}' -> re.append(inGroup ? ")" : "\\}");
                case ',' -> re.append(inGroup ? "|" : ",");
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
            if (c == '}') {
                inGroup = false;
            }
        }
        return re.toString();
    }
}
