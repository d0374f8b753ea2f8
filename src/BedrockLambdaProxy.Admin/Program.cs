namespace BedrockLambdaProxy.Admin;

internal static class Program
{
    private static int Main(string[] args)
    {
        return args.Length == 0 ? 0 : 1;
    }
}
