using System.Runtime.InteropServices;
using System.Text;
using SQLitePCL;

namespace Metrics.Journal;

/// <summary>
/// Column access for the history stream, which reads tens of millions of rows. SQLitePCL's calls marshal a SafeHandle
/// (reference counting on every call) and cost more than SQLite's own scan; calling the same e_sqlite3 library directly
/// with the raw statement pointer and without a GC transition makes each column read a few nanoseconds. When the
/// provider is not the bundled e_sqlite3, every read goes through SQLitePCL instead: slower, same results.
/// </summary>
/// <remarks>
/// Without a GC transition a native function must be short and must never block: the statement these are used on
/// belongs to a connection opened without SQLite's mutex and used by one thread, and column reads only return
/// pointers into the current row.
/// </remarks>
internal static class NativeColumns
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the direct calls reach the library SQLitePCL uses.</summary>
    public static bool Direct { get; } = Probe();

    public static int Step(sqlite3_stmt statement) => raw.sqlite3_step(statement);

    public static long Int64(sqlite3_stmt statement, IntPtr handle, int column) =>
        Direct ? NativeMethods.sqlite3_column_int64(handle, column) : raw.sqlite3_column_int64(statement, column);

    public static bool IsNull(sqlite3_stmt statement, IntPtr handle, int column) =>
        (Direct ? NativeMethods.sqlite3_column_type(handle, column) : raw.sqlite3_column_type(statement, column)) == raw.SQLITE_NULL;

    public static string Text(sqlite3_stmt statement, IntPtr handle, int column)
    {
        if (!Direct)
        {
            return Encoding.UTF8.GetString(raw.sqlite3_column_blob(statement, column));
        }

        // Blob first, then its size: that is the order SQLite documents for reading a value without conversion.
        var bytes = NativeMethods.sqlite3_column_blob(handle, column);
        var length = NativeMethods.sqlite3_column_bytes(handle, column);
        return length == 0 ? string.Empty : Marshal.PtrToStringUTF8(bytes, length);
    }

    /// <summary>
    /// The text of a column whose value often repeats from one row to the next (source, subject, attributes): when the
    /// bytes equal the previous row's, the previous string is returned instead of a new one. A compare of a few bytes
    /// costs less than allocating and decoding, and unlike a pool of interned strings nothing outlives the next row.
    /// </summary>
    public sealed class RepeatedText(int column)
    {
        private byte[] _bytes = new byte[64];
        private int _length = -1;
        private string _text = string.Empty;

        public unsafe string Read(sqlite3_stmt statement, IntPtr handle)
        {
            if (!Direct)
            {
                return Text(statement, handle, column);
            }

            var bytes = NativeMethods.sqlite3_column_blob(handle, column);
            var length = NativeMethods.sqlite3_column_bytes(handle, column);
            var current = new ReadOnlySpan<byte>((void*)bytes, length);
            if (length == _length && current.SequenceEqual(_bytes.AsSpan(0, length)))
            {
                return _text;
            }

            if (length > _bytes.Length)
            {
                _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
            }

            current.CopyTo(_bytes);
            _length = length;
            _text = length == 0 ? string.Empty : Encoding.UTF8.GetString(current);
            return _text;
        }
    }

    private static bool Probe()
    {
        try
        {
            // Idempotent; Microsoft.Data.Sqlite does the same before its first connection.
            Batteries_V2.Init();
            return string.Equals(raw.GetNativeLibraryName(), Library, StringComparison.Ordinal)
                && NativeMethods.sqlite3_libversion_number() == raw.sqlite3_libversion_number();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sqlite3_libversion_number();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern long sqlite3_column_int64(IntPtr statement, int column);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_column_type(IntPtr statement, int column);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern IntPtr sqlite3_column_blob(IntPtr statement, int column);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        [SuppressGCTransition]
        public static extern int sqlite3_column_bytes(IntPtr statement, int column);
    }
}
