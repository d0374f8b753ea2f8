using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ZeroWorkRelay;

/// <summary>HTTP/1.1 over one blocking keep-alive socket: enough for the Runtime API and the simulator.</summary>
internal sealed class BlockingHttpConnection : IDisposable
{
    public const int ReceiveBufferLength = 64 * 1024;

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[ReceiveBufferLength];
    private int _start;
    private int _end;
    /// <summary>Bytes left in the current chunk of a chunked body; -1 before a size line.</summary>
    private int _chunkLeft = -1;

    public BlockingHttpConnection(IPEndPoint endpoint)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(endpoint);
    }

    public void Send(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            data = data[_socket.Send(data)..];
        }
    }

    public void SendChunk(byte[] data) =>
        Send([.. Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), .. data, (byte)'\r', (byte)'\n']);

    public (int Status, Dictionary<string, string> Headers) ReadHead()
    {
        string statusLine = ReadLine();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (string line = ReadLine(); line.Length > 0; line = ReadLine())
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        _chunkLeft = -1;
        return (int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture), headers);
    }

    /// <summary>A response with a Content-Length body (the Runtime API's answers).</summary>
    public (int Status, Dictionary<string, string> Headers, byte[] Body) ReadResponse()
    {
        (int status, Dictionary<string, string> headers) = ReadHead();
        byte[] body = new byte[headers.TryGetValue("content-length", out string? length) ? int.Parse(length, CultureInfo.InvariantCulture) : 0];
        for (int got = 0; got < body.Length;)
        {
            if (_start == _end)
            {
                Receive();
            }
            int take = Math.Min(body.Length - got, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(body.AsSpan(got));
            _start += take;
            got += take;
        }
        return (status, headers, body);
    }

    /// <summary>
    /// The chunked body's payload bytes that have arrived, receiving once (blocking) when none are
    /// buffered; <paramref name="ended"/> once the last chunk is read.
    /// </summary>
    public int ReadChunkedBody(Span<byte> destination, out bool ended)
    {
        ended = false;
        if (_start == _end)
        {
            Receive();
        }
        int written = 0;
        while (_start < _end && written < destination.Length)
        {
            if (_chunkLeft < 0)
            {
                int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (newline < 0)
                {
                    if (written > 0)
                    {
                        return written;
                    }
                    Receive();
                    continue;
                }
                string size = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                if (size.Length == 0)
                {
                    continue; // the CRLF that ends a chunk's data
                }
                _chunkLeft = int.Parse(size.Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (_chunkLeft == 0)
                {
                    while (ReadLine().Length > 0)
                    {
                        // trailers, up to the blank line
                    }
                    _chunkLeft = -1;
                    ended = true;
                    return written;
                }
            }
            int take = Math.Min(Math.Min(_chunkLeft, _end - _start), destination.Length - written);
            _buffer.AsSpan(_start, take).CopyTo(destination[written..]);
            written += take;
            _start += take;
            _chunkLeft -= take;
            if (_chunkLeft == 0)
            {
                _chunkLeft = -1;
            }
        }
        return written;
    }

    private string ReadLine()
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
                _start = newline + 1;
                return line;
            }
            Receive();
        }
    }

    /// <summary>Blocks until something arrives, then appends all of it that fits.</summary>
    private void Receive()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        int got = _socket.Receive(_buffer, _end, _buffer.Length - _end, SocketFlags.None);
        if (got == 0)
        {
            throw new IOException("the connection closed");
        }
        _end += got;
    }

    public void Dispose() => _socket.Dispose();
}
