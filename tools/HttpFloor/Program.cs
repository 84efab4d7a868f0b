// Usage: HttpFloor <apiBaseUri> <apiKey> <idsFile>
// POSTs a cancel for every line of idsFile, one after another, and prints {"ids":N,"seconds":S,"ok":K}.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

var baseUri = new Uri(args[0].TrimEnd('/') + "/");
var key = args[1];
var ids = File.ReadAllLines(args[2]).Where(line => line.Length > 0).ToArray();

using var http = new HttpClient { BaseAddress = baseUri };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));

var ok = 0;
var watch = Stopwatch.StartNew();
foreach (var id in ids)
{
    using var response = await http.PostAsync("signature_request/cancel/" + id, null);
    if (response.IsSuccessStatusCode)
    {
        ok++;
    }
}

Console.WriteLine($"{{\"ids\":{ids.Length},\"seconds\":{watch.Elapsed.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"ok\":{ok}}}");
