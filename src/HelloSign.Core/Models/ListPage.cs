using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace HelloSign.Core.Models;

/// <summary>
/// One page of any list endpoint ({"list_info":{...}, "&lt;items&gt;":[...]}): where it stands among the pages,
/// and its items as JSON text, for Invoke-HelloSignRequest -All.
/// </summary>
public sealed class ListPage
{
    private ListPage(int page, int numberOfPages, string itemsProperty, IReadOnlyList<string> items)
    {
        Page = page;
        NumberOfPages = numberOfPages;
        ItemsProperty = itemsProperty;
        Items = items;
    }

    public int Page { get; }
    public int NumberOfPages { get; }

    /// <summary>The name of the items' array, e.g. signature_requests or templates.</summary>
    public string ItemsProperty { get; }

    /// <summary>Each item as its JSON text.</summary>
    public IReadOnlyList<string> Items { get; }

    public bool IsLast => Page >= NumberOfPages || Items.Count == 0;

    /// <summary>
    /// Reads a page: an object with list_info and exactly one array besides "warnings". Anything else is not a
    /// page of a list endpoint, and gives null.
    /// </summary>
    public static ListPage? TryRead(string body)
    {
        JsonReading.TryRead(body, Read, out var page);
        return page;
    }

    private static ListPage? Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || JsonReading.Object(root, "list_info") is not { } info)
        {
            return null;
        }

        var arrays = root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Name != "warnings").ToList();
        if (arrays.Count != 1)
        {
            return null;
        }

        var items = arrays[0].Value.EnumerateArray().Select(item => item.GetRawText()).ToList();
        return new ListPage(JsonReading.Int32(info, "page") ?? 1, JsonReading.Int32(info, "num_pages") ?? 1, arrays[0].Name, items);
    }
}
