using System.Text;

namespace BedrockLambdaProxy.Tests.Runtime;

/// <summary>Reads HTTP/1.1 lines and byte runs from a socket and keeps a copy of every byte consumed.</summary>
internal sealed class RecordingReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private readonly Action<ReadOnlyMemory<byte>>? _onReceived;
    private MemoryStream _captured = new();

    /// <param name="onReceived">Sees every read as it arrives, before any request is complete.</param>
    public RecordingReader(Stream stream, Action<ReadOnlyMemory<byte>>? onReceived = null)
    {
        _stream = stream;
        _onReceived = onReceived;
    }

    /// <summary>Returns what was consumed since the last call and starts a new capture.</summary>
    public byte[] TakeCaptured()
    {
        byte[] bytes = _captured.ToArray();
        _captured = new MemoryStream();
        return bytes;
    }

    /// <summary>A line without its CRLF, or null when the peer closed before sending a byte.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                if (line.Length == 0)
                {
                    return null;
                }

                throw new IOException("The connection closed in the middle of a line.");
            }

            byte b = _buffer[_start++];
            _captured.WriteByte(b);
            if (b == (byte)'\n')
            {
                byte[] bytes = line.ToArray();
                if (bytes.Length == 0 || bytes[^1] != (byte)'\r')
                {
                    throw new InvalidDataException("A line did not end with CRLF.");
                }

                return Encoding.Latin1.GetString(bytes, 0, bytes.Length - 1);
            }

            line.WriteByte(b);
        }
    }

    public async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        byte[] result = new byte[count];
        int copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new IOException("The connection closed in the middle of a body.");
            }

            int n = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, n);
            _captured.Write(_buffer, _start, n);
            _start += n;
            copied += n;
        }

        return result;
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer, cancellationToken);
        _onReceived?.Invoke(_buffer.AsMemory(0, _end));
        return _end > 0;
    }
}
