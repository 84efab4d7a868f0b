using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HelloSign.Core.Http;

/// <summary>Reads a response body up to a fixed size, so a huge or endless body can't fill memory.</summary>
public static class BoundedBodyReader
{
    /// <summary>Every body this API returns (errors, one page of 100 requests) fits well within this.</summary>
    public const int MaximumBodyBytes = 4 * 1024 * 1024;

    /// <summary>Error bodies are a few hundred bytes; anything longer is not worth reading.</summary>
    public const int MaximumErrorBodyBytes = 64 * 1024;

    public static async Task<(string Text, bool Truncated)> ReadAsync(Stream stream, int maximumBytes, CancellationToken cancellationToken)
    {
        // Most bodies are empty or small (a cancel answers with nothing): start small, the stream grows as needed.
        var buffer = new byte[Math.Min(maximumBytes + 1, 4096)];
        using var collected = new MemoryStream();
        while (collected.Length <= maximumBytes)
        {
            var wanted = (int)Math.Min(buffer.Length, maximumBytes + 1 - collected.Length);
            var read = await stream.ReadAsync(buffer, 0, wanted, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            collected.Write(buffer, 0, read);
        }

        var truncated = collected.Length > maximumBytes;
        var length = (int)Math.Min(collected.Length, maximumBytes);
        return (Decode(collected.GetBuffer(), length), truncated);
    }

    public static string Decode(byte[] bytes, int length)
    {
        // A UTF-8 BOM is not part of the JSON text.
        var offset = length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        return Encoding.UTF8.GetString(bytes, offset, length - offset);
    }
}
