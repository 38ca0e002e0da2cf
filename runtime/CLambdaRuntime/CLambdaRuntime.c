// Header-only: see include/CLambdaRuntime.h.
