package org.synthloom.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void noArgumentsRunsTheConfiguredDefaultPipelineAndStaysUp() {
        CommandLine cli = CommandLine.parse(List.of());
        assertEquals(CommandLine.Action.RUN, cli.action());
        assertEquals(Optional.of("hello"), cli.pipelineToRun("hello"));
        assertEquals(Optional.empty(), cli.pipelineToRun(" "));
        assertFalse(cli.exitWhenDone());
    }

    @Test
    void pipelineCanBeChosenAndExitRequested() {
        assertEquals(Optional.of("synth2"), CommandLine.parse(List.of("-p", "synth2")).pipelineToRun("hello"));
        assertEquals(Optional.of("clips"), CommandLine.parse(List.of("--pipeline=clips", "--exit")).pipelineToRun("hello"));
        assertTrue(CommandLine.parse(List.of("--exit")).exitWhenDone());
        assertEquals(Optional.empty(), CommandLine.parse(List.of("--no-pipeline")).pipelineToRun("hello"));
    }

    @Test
    void anExperimentRunsInsteadOfThePipeline() {
        CommandLine cli = CommandLine.parse(List.of("-e", "synth2-shapes", "--exit"));
        assertEquals(Optional.of("synth2-shapes"), cli.experiment());
        assertEquals(Optional.empty(), cli.pipelineToRun("hello"), "the default pipeline does not run as well");
        assertEquals(Optional.of("x"), CommandLine.parse(List.of("--experiment=x")).experiment());
        assertEquals(Optional.empty(), CommandLine.parse(List.of()).experiment());
        assertEquals("--experiment needs an experiment name", assertThrows(IllegalArgumentException.class,
                () -> CommandLine.parse(List.of("--experiment"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("-e", "x", "-p", "y")));
    }

    @Test
    void helpWinsOverOtherActions() {
        assertEquals(CommandLine.Action.HELP, CommandLine.parse(List.of("--list", "--version", "-h")).action());
        assertEquals(CommandLine.Action.VERSION, CommandLine.parse(List.of("--version")).action());
        assertEquals(CommandLine.Action.LIST, CommandLine.parse(List.of("--list")).action());
    }

    @Test
    void theShellOptionIsAcceptedBesideAPipeline() {
        CommandLine cli = CommandLine.parse(List.of("--shell", "-p", "small"));
        assertEquals(CommandLine.Action.RUN, cli.action());
        assertEquals(java.util.Optional.of("small"), cli.pipelineToRun("default"));
    }

    @Test
    void mistakesAreExplained() {
        assertEquals("unknown option '--pipelin'",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("--pipelin"))).getMessage());
        assertEquals("--pipeline needs a pipeline name",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("--pipeline"))).getMessage());
        assertEquals("-p needs a pipeline name",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("-p", "--exit"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("--no-pipeline", "-p", "x")));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse(List.of("--pipeline=")));
    }
}
