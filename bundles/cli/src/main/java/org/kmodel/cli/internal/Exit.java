package org.kmodel.cli.internal;

/**
 * {@code exit [N]} and {@code quit} end a script or {@code -c} line in every mode, as in sh: the runner, not
 * Gogo, handles them (a Gogo lookup of {@code exit} would find {@code mm:exit PID}). {@code exit} without a
 * status keeps the status so far (0, or 1 after a failed command); a status that is not a number is 2, as
 * dash says "Illegal number".
 */
final class Exit {
    private Exit() {}

    static boolean matches(String command) {
        String name = Script.name(command);
        return name.equals("exit") || name.equals("quit");
    }

    static int status(String command, int failedSoFar) {
        String rest = command.strip().substring(Script.name(command).length()).strip();
        if (rest.isEmpty()) {
            return failedSoFar == 0 ? 0 : 1;
        }
        try {
            return Integer.parseInt(rest) & 0xff;
        } catch (NumberFormatException e) {
            return 2;
        }
    }
}
