namespace BedrockLambdaProxy.IntegrationTests.Dynamo;

/// <summary>A <see cref="DynaliteFixture"/> whose data survives <see cref="DynaliteFixture.StopAsync"/> / StartAsync (LevelDB in a temp directory).</summary>
public sealed class PersistentDynaliteFixture : DynaliteFixture
{
    public PersistentDynaliteFixture()
        : base(persistent: true)
    {
    }
}
