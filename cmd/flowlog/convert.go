package main

import "context"

func runConvert(ctx context.Context, args []string, e *env) int { return exitUsage }
