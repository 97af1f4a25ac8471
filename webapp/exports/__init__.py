"""Pure functions that write exports as streams of bytes: XLSX (`xlsx.stream_xlsx`) and CSV
(`csvfile.stream_csv`). No Flask here: the features choose the rows, these write them."""
