return SleepScoring.Cli.ClinicalTool.Dispatcher.Run(args);
