return SleepScoring.Lab.LabTool.Dispatcher.Run(args);
