"""The PDF file of a book (portal/pdf/book.py) written with object streams of a few thousand
objects each: pydyf's PDF.write builds its one object stream in memory — every object read back
at once, then compressed — and its cross-reference stream as a tuple per object, the peak of a
book of a thousand pages."""

from __future__ import annotations

from array import array
from math import ceil, log

import pydyf

OBJECTS_PER_STREAM = 4000


def write_pdf_file(pdf: pydyf.PDF, output, version, identifier, compress: bool) -> None:
    """pydyf's PDF.write, but with the compressible objects in object streams of a few thousand
    objects each instead of one: pydyf builds its one object stream in memory — every spilled
    object read back at once, then compressed (about 0.1 MiB a page, the write's peak). A
    PDF may hold any number of object streams; what a reader reads back is the same."""
    version = pydyf._to_bytes(version or b"1.7")
    if identifier or version < b"1.5" or not compress:
        pdf.write(output, version, identifier, compress)
        return
    if pdf.info:
        pdf.add_object(pdf.info)
    pdf.write_line(b"%PDF-" + version, output)
    pdf.write_line(b"%\xf0\x9f\x96\xa4", output)
    compressed = []  # objects from the spill file are read back a stream at a time
    for object_ in pdf.objects:
        if object_.free == "f":
            continue
        if object_.compressible:
            compressed.append(object_)
        else:
            object_.offset = pdf.current_position
            pdf.write_line(object_.indirect, output)
    # By object number: the object stream holding it and its index there.
    in_stream = array("q", bytes(8 * len(pdf.objects)))
    at_index = array("q", in_stream)
    for start in range(0, len(compressed), OBJECTS_PER_STREAM):
        chunk = compressed[start : start + OBJECTS_PER_STREAM]
        header: list = []
        stream: list = [header]
        position = 0
        for object_ in chunk:
            data = object_.data
            stream.append(data)
            header.extend((object_.number, position))
            position += len(data) + 1
        stream[0] = " ".join(str(item) for item in header)
        extra = {"Type": "/ObjStm", "N": len(chunk), "First": len(stream[0]) + 1}
        object_stream = pydyf.Stream(stream, extra, compress)
        object_stream.offset = pdf.current_position
        pdf.add_object(object_stream)
        pdf.write_line(object_stream.indirect, output)
        for index, object_ in enumerate(chunk):
            in_stream[object_.number], at_index[object_.number] = object_stream.number, index
        del stream, object_stream
    # The cross-reference stream packed as it is computed: a tuple per object, then a bytes
    # per field, would hold a few hundred thousand small objects at the write's peak.
    end = pdf.current_position
    generations = max(object_.generation for object_ in pdf.objects)
    lengths = (
        1,
        ceil(log(end + 1, 256)),
        ceil(log(max(generations, min(len(compressed), OBJECTS_PER_STREAM)) + 1, 256)),
    )
    xref_stream = bytearray()

    def pack(*line: int) -> None:
        for length, value in zip(lengths, line, strict=True):
            xref_stream.extend(value.to_bytes(length, "big"))

    for object_ in pdf.objects:
        if object_.compressible:
            pack(2, in_stream[object_.number], at_index[object_.number])
        else:
            pack(bool(object_.number), object_.offset, object_.generation)
    pack(1, end, 0)
    extra = {
        "Type": "/XRef",
        "Index": pydyf.Array((0, len(pdf.objects) + 1)),
        "W": pydyf.Array(lengths),
        "Size": len(pdf.objects) + 1,
        "Root": pdf.catalog.reference,
    }
    if pdf.info:
        extra["Info"] = pdf.info.reference
    dict_stream = pydyf.Stream([bytes(xref_stream)], extra, compress)
    pdf.xref_position = dict_stream.offset = pdf.current_position
    pdf.add_object(dict_stream)
    pdf.write_line(dict_stream.indirect, output)
    pdf.write_line(b"startxref", output)
    pdf.write_line(f"{pdf.xref_position}".encode(), output)
    pdf.write_line(b"%%EOF", output)
