return SleepScoring.Cli.CommandLine.Run(args);
