using System;
using System.Collections;
using NetBoard.Firmware.Text;
using NetBoard.Firmware.Smtp;
using NetBoard.Hal;

namespace NetBoard.Firmware.Mime
{
    /// <summary>
    /// Streams a scan-to-email message (RFC 5322 headers, multipart/mixed with a text/plain part and a base64
    /// attachment) line by line, reading the document in fixed chunks so memory does not depend on its size.
    /// With ifax the attachment is typed "image/tiff; application=faxbw" (RFC 3965 simple mode).
    /// Every line ends in CRLF and none starts with '.' except text body lines, which SMTP dot-stuffing covers.
    /// The composer does not dispose the document.
    /// </summary>
    public sealed class MessageComposer : IMessageReader
    {
        /// <summary>The longest line the composer writes, in bytes including CRLF (RFC 5322's 998 + 2).</summary>
        public const int MaxLineLength = 1000;

        private const string IfaxContentType = "image/tiff; application=faxbw";
        private const int Base64LineInputBytes = 57;
        private const int Base64LineBytes = 76;

        // 48 lines of 57 bytes: 2736 bytes, so only the document's last chunk can end in a short line.
        private const int ChunkBytes = Base64LineInputBytes * 48;
        private const int MaxTextLineChars = 78;

        private readonly IDocumentSource _document;
        private readonly byte[][] _head;
        private readonly byte[] _tail;
        private readonly byte[] _chunk;
        private readonly long _length;
        private long _documentRemaining;
        private int _chunkLength;
        private int _chunkPosition;
        private int _headIndex;
        private bool _complete;

        /// <summary>Prepares the message; the document is read only by <see cref="Read"/>.</summary>
        /// <param name="info">The message data; addresses, ids and the boundary must be valid (see <see cref="MessageInfo"/>).</param>
        /// <param name="document">The attachment content, read from its current position for exactly <see cref="IDocumentSource.Length"/> bytes.</param>
        /// <param name="ifax">True for an RFC 3965 simple-mode Internet fax; the caller has checked the file is TIFF.</param>
        public MessageComposer(MessageInfo info, IDocumentSource document, bool ifax)
        {
            if (info == null)
            {
                throw new ArgumentNullException("info");
            }

            if (document == null)
            {
                throw new ArgumentNullException("document");
            }

            Validate(info);
            long documentLength = document.Length;
            if (documentLength < 0)
            {
                throw new ArgumentException("document length is negative", "document");
            }

            _document = document;
            _documentRemaining = documentLength;
            _chunk = new byte[ChunkBytes];

            string attachmentType = ifax ? IfaxContentType : info.AttachmentType;
            if (attachmentType == null || attachmentType.Length == 0)
            {
                attachmentType = MessageInfo.ContentTypeForFileName(info.AttachmentName);
            }

            ArrayList lines = new ArrayList();
            HeaderFolder folder = new HeaderFolder(lines);
            AddMessageHeaders(folder, info);
            AddTextPart(folder, lines, info);
            AddAttachmentHeaders(folder, info, attachmentType);
            if (documentLength == 0)
            {
                // The CRLF before the close delimiter belongs to the delimiter, so an empty body still needs this line.
                folder.AddLine(string.Empty);
            }

            _head = new byte[lines.Count][];
            long length = 0;
            for (int i = 0; i < _head.Length; i++)
            {
                byte[] line = (byte[])lines[i];
                if (line.Length + 2 > MaxLineLength)
                {
                    throw new ArgumentException("a header token is too long for one line", "info");
                }

                _head[i] = line;
                length += line.Length + 2;
            }

            _tail = AsciiBytes("--" + info.Boundary + "--");
            long fullLines = documentLength / Base64LineInputBytes;
            int rest = (int)(documentLength % Base64LineInputBytes);
            length += fullLines * (Base64LineBytes + 2);
            if (rest > 0)
            {
                length += Base64.EncodedLength(rest) + 2;
            }

            _length = length + _tail.Length + 2;
        }

        /// <summary>The exact number of bytes all calls of <see cref="Read"/> produce together.</summary>
        public long Length
        {
            get { return _length; }
        }

        /// <summary>True once the whole message has been returned by <see cref="Read"/>.</summary>
        public bool IsComplete
        {
            get { return _complete; }
        }

        /// <summary>
        /// Writes as many whole CRLF-terminated lines as fit into <paramref name="count"/> bytes. The caller always
        /// offers at least <see cref="MaxLineLength"/> bytes, so at least one line fits while any remain; 0 therefore
        /// means the message is complete.
        /// </summary>
        /// <param name="dst">The destination buffer.</param>
        /// <param name="offset">Where the first byte goes.</param>
        /// <param name="count">The room in bytes; at least <see cref="MaxLineLength"/>.</param>
        /// <returns>The bytes written; 0 when the message is complete.</returns>
        /// <exception cref="InvalidOperationException">The document ended before its stated length.</exception>
        public int Read(byte[] dst, int offset, int count)
        {
            if (dst == null)
            {
                throw new ArgumentNullException("dst");
            }

            if (offset < 0 || count < MaxLineLength || offset > dst.Length - count)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            int position = offset;
            int end = offset + count;
            while (!_complete)
            {
                if (_headIndex < _head.Length)
                {
                    byte[] line = _head[_headIndex];
                    if (line.Length + 2 > end - position)
                    {
                        break;
                    }

                    Array.Copy(line, 0, dst, position, line.Length);
                    position = PutCrlf(dst, position + line.Length);
                    _headIndex++;
                    continue;
                }

                if (_chunkPosition < _chunkLength || _documentRemaining > 0)
                {
                    if (_chunkPosition == _chunkLength)
                    {
                        FillChunk();
                    }

                    int take = _chunkLength - _chunkPosition;
                    if (take > Base64LineInputBytes)
                    {
                        take = Base64LineInputBytes;
                    }

                    if (Base64.EncodedLength(take) + 2 > end - position)
                    {
                        break;
                    }

                    position += Base64.Encode(_chunk, _chunkPosition, take, dst, position);
                    position = PutCrlf(dst, position);
                    _chunkPosition += take;
                    continue;
                }

                if (_tail.Length + 2 > end - position)
                {
                    break;
                }

                Array.Copy(_tail, 0, dst, position, _tail.Length);
                position = PutCrlf(dst, position + _tail.Length);
                _complete = true;
            }

            return position - offset;
        }

        private void FillChunk()
        {
            int wanted = _documentRemaining < ChunkBytes ? (int)_documentRemaining : ChunkBytes;
            int filled = 0;
            while (filled < wanted)
            {
                int n = _document.Read(_chunk, filled, wanted - filled);
                if (n <= 0)
                {
                    throw new InvalidOperationException("document ended before its stated length");
                }

                filled += n;
            }

            _chunkLength = filled;
            _chunkPosition = 0;
            _documentRemaining -= filled;
        }

        private static int PutCrlf(byte[] dst, int position)
        {
            dst[position] = (byte)'\r';
            dst[position + 1] = (byte)'\n';
            return position + 2;
        }

        private static void AddMessageHeaders(HeaderFolder folder, MessageInfo info)
        {
            folder.Begin("From");
            string name = info.FromName;
            if (name != null && name.Length > 0)
            {
                string quoted = HeaderFolder.IsPrintableAscii(name) ? HeaderFolder.Quote(name) : null;
                if (quoted != null && "From: ".Length + quoted.Length <= HeaderFolder.FoldLengthChars)
                {
                    folder.AddToken(quoted);
                }
                else
                {
                    folder.AddEncodedWords(name);
                }
            }

            folder.AddToken("<" + info.FromAddress + ">");
            folder.End();

            folder.Begin("To");
            string[] to = info.To;
            for (int i = 0; i < to.Length; i++)
            {
                folder.AddToken(i + 1 < to.Length ? to[i] + "," : to[i]);
            }

            folder.End();

            folder.Begin("Subject");
            string subject = info.Subject == null ? string.Empty : info.Subject;
            if (IsPlainSubject(subject))
            {
                AddWords(folder, subject);
            }
            else
            {
                folder.AddEncodedWords(subject);
            }

            folder.End();

            folder.AddLine("Date: " + MailDate.Format(info.Date));
            folder.AddLine("Message-ID: <" + info.MessageId + ">");
            folder.AddLine("MIME-Version: 1.0");
            folder.Begin("Content-Type");
            folder.AddToken("multipart/mixed;");
            folder.AddToken("boundary=\"" + info.Boundary + "\"");
            folder.End();
            folder.AddLine(string.Empty);
        }

        private static void AddTextPart(HeaderFolder folder, ArrayList lines, MessageInfo info)
        {
            string text = info.BodyText == null ? string.Empty : info.BodyText;
            bool sevenBit = IsSevenBitText(text);
            folder.AddLine("--" + info.Boundary);
            folder.AddLine("Content-Type: text/plain; charset=utf-8");
            folder.AddLine("Content-Transfer-Encoding: " + (sevenBit ? "7bit" : "base64"));
            folder.AddLine(string.Empty);

            if (sevenBit)
            {
                int start = 0;
                while (true)
                {
                    int lineEnd = start;
                    while (lineEnd < text.Length && text[lineEnd] != '\r' && text[lineEnd] != '\n')
                    {
                        lineEnd++;
                    }

                    lines.Add(AsciiBytes(text.Substring(start, lineEnd - start)));
                    if (lineEnd == text.Length)
                    {
                        break;
                    }

                    start = SkipLineBreak(text, lineEnd);
                }

                return;
            }

            byte[] utf8 = Utf8.GetBytes(NormalizeLineBreaks(text));
            for (int i = 0; i < utf8.Length; i += Base64LineInputBytes)
            {
                int take = utf8.Length - i < Base64LineInputBytes ? utf8.Length - i : Base64LineInputBytes;
                byte[] line = new byte[Base64.EncodedLength(take)];
                Base64.Encode(utf8, i, take, line, 0);
                lines.Add(line);
            }
        }

        private static void AddAttachmentHeaders(HeaderFolder folder, MessageInfo info, string attachmentType)
        {
            folder.AddLine("--" + info.Boundary);
            folder.Begin("Content-Type");
            string type = attachmentType.Trim();
            while (type.Length > 0 && type[type.Length - 1] == ';')
            {
                type = type.Substring(0, type.Length - 1).Trim();
            }

            AddWords(folder, type + ";");
            folder.AddParameter("name", info.AttachmentName, true);
            folder.End();
            folder.Begin("Content-Disposition");
            folder.AddToken("attachment;");
            folder.AddParameter("filename", info.AttachmentName, true);
            folder.End();
            folder.AddLine("Content-Transfer-Encoding: base64");
            folder.AddLine(string.Empty);
        }

        private static void AddWords(HeaderFolder folder, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            int start = 0;
            while (true)
            {
                int space = text.IndexOf(' ', start);
                if (space < 0)
                {
                    folder.AddToken(text.Substring(start));
                    return;
                }

                folder.AddToken(text.Substring(start, space - start));
                start = space + 1;
            }
        }

        private static bool IsPlainSubject(string subject)
        {
            if (!HeaderFolder.IsPrintableAscii(subject) || subject.IndexOf("=?") >= 0)
            {
                return false;
            }

            // A word that cannot fit a folded line goes into encoded-words, which split anywhere.
            int wordLength = 0;
            for (int i = 0; i < subject.Length; i++)
            {
                wordLength = subject[i] == ' ' ? 0 : wordLength + 1;
                if (wordLength > HeaderFolder.FoldLengthChars - 1)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsSevenBitText(string text)
        {
            int lineLength = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r' || c == '\n')
                {
                    lineLength = 0;
                    continue;
                }

                if ((c < 0x20 && c != '\t') || c > 0x7E)
                {
                    return false;
                }

                lineLength++;
                if (lineLength > MaxTextLineChars)
                {
                    return false;
                }
            }

            return true;
        }

        private static int SkipLineBreak(string text, int index)
        {
            if (text[index] == '\r' && index + 1 < text.Length && text[index + 1] == '\n')
            {
                return index + 2;
            }

            return index + 1;
        }

        private static string NormalizeLineBreaks(string text)
        {
            // Each char becomes at most two (a lone CR or LF turns into CRLF).
            char[] result = new char[text.Length * 2];
            int n = 0;
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '\r' || c == '\n')
                {
                    result[n++] = '\r';
                    result[n++] = '\n';
                    i = SkipLineBreak(text, i);
                    continue;
                }

                result[n++] = c;
                i++;
            }

            return new string(result, 0, n);
        }

        private static void Validate(MessageInfo info)
        {
            if (!IsAddress(info.FromAddress))
            {
                throw new ArgumentException("FromAddress is not a plain ASCII address", "info");
            }

            if (info.To == null || info.To.Length == 0)
            {
                throw new ArgumentException("To needs at least one address", "info");
            }

            for (int i = 0; i < info.To.Length; i++)
            {
                if (!IsAddress(info.To[i]))
                {
                    throw new ArgumentException("a To entry is not a plain ASCII address", "info");
                }
            }

            if (!MessageInfo.IsIdText(info.MessageId))
            {
                throw new ArgumentException("MessageId must be printable ASCII without spaces or angle brackets", "info");
            }

            if (!IsBoundary(info.Boundary))
            {
                throw new ArgumentException("Boundary is not a valid RFC 2046 boundary", "info");
            }

            if (info.AttachmentName == null || info.AttachmentName.Length == 0)
            {
                throw new ArgumentException("AttachmentName is empty", "info");
            }

            string type = info.AttachmentType;
            if (type != null && type.Length > 0 && (!HeaderFolder.IsPrintableAscii(type) || type.IndexOf('/') < 0))
            {
                throw new ArgumentException("AttachmentType is not a printable ASCII content type", "info");
            }
        }

        private static bool IsAddress(string address)
        {
            return MessageInfo.IsIdText(address) && address.IndexOf(',') < 0 && address.IndexOf('"') < 0;
        }

        private static bool IsBoundary(string boundary)
        {
            if (boundary == null || boundary.Length == 0 || boundary.Length > 70)
            {
                return false;
            }

            for (int i = 0; i < boundary.Length; i++)
            {
                char c = boundary[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "'()+_,-./:=?".IndexOf(c) >= 0;
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static byte[] AsciiBytes(string s)
        {
            byte[] bytes = new byte[s.Length];
            Ascii.GetBytes(s, bytes, 0);
            return bytes;
        }
    }
}
