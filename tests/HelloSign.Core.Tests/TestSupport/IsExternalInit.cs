#if NETFRAMEWORK
namespace System.Runtime.CompilerServices;

/// <summary>Lets records and init accessors compile for net472 (the BCL type exists only from .NET 5 on).</summary>
internal static class IsExternalInit
{
}
#endif
