namespace Bridge.Bench.Load;

internal readonly record struct Sample(double Milliseconds, Outcome Outcome);
