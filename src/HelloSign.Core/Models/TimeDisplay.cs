using System;
using System.Globalization;

namespace HelloSign;

/// <summary>
/// How the module's views (HelloSign.Format.ps1xml) show a time: in the viewer's zone, with that zone's offset,
/// year first, so that no reader takes 09/10 for October or a UTC time for a local one. The objects keep UTC.
/// </summary>
public static class TimeDisplay
{
    public const string Format = "yyyy-MM-dd HH:mm zzz";

    /// <summary>A DateTimeOffset or DateTime (a DateTime of unspecified kind counts as local), else null.</summary>
    public static string? Local(object? time) => time switch
    {
        DateTimeOffset offset => offset.ToLocalTime().ToString(Format, CultureInfo.InvariantCulture),
        DateTime dateTime => new DateTimeOffset(dateTime).ToLocalTime().ToString(Format, CultureInfo.InvariantCulture),
        _ => null,
    };
}
