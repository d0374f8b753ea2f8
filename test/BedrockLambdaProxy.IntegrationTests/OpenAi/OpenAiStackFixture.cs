using System.Net;
using System.Net.Http.Headers;
using BedrockLambdaProxy.IntegrationTests.Proxy;

namespace BedrockLambdaProxy.IntegrationTests.OpenAi;

/// <summary>
/// The whole stack, with both workers warmed before the first test: a worker's first key lookup
/// also builds its DynamoDB client, and on a machine this loaded that can overrun the proxy's 2 s
/// cold-lookup budget (a deliberate 503, tested elsewhere), which is not what these tests are about.
/// </summary>
public sealed class OpenAiStackFixture : ProxyStackFixture, IAsyncLifetime
{
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        for (int attempt = 0; attempt < 20; attempt++)
        {
            HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(FunctionUrl, "v1/models"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
                using HttpResponseMessage response = await Http.SendAsync(request);
                return response.StatusCode;
            }));
            if (statuses.All(s => s == HttpStatusCode.OK))
            {
                return;
            }
        }
    }
}
