using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Metrics.Simulator.Tests;

/// <summary>Requests to the simulated vendors with the credentials they accept.</summary>
public static class SimulatorRequests
{
    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    public static HttpRequestMessage Lrs(SimulatorCredentials credentials, string url)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Authorization = Basic(credentials.LrsUsername, credentials.LrsPassword);
        r.Headers.Add("X-Experience-API-Version", "1.0.3");
        return r;
    }

    public static HttpRequestMessage N8n(SimulatorCredentials credentials, string url)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Add("X-N8N-API-KEY", credentials.N8nApiKey);
        return r;
    }

    public static HttpRequestMessage Jira(SimulatorCredentials credentials, string url)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Authorization = Basic(credentials.JiraEmail, credentials.JiraApiToken);
        return r;
    }

    /// <summary>The client-credentials token response of the simulated identity platform.</summary>
    public static async Task<JsonElement> GraphTokenAsync(HttpClient http, SimulatorCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(credentials);
        using var response = await http.PostAsync($"login/{credentials.GraphTenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = credentials.GraphClientId,
            ["client_secret"] = credentials.GraphClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
